/* test_hostile_3d.c - a hostile guest against the SVGA3D decoder, state
 * tracker and backends (null, null keeping contents, soft), through the
 * fake guest memory of the exec3d tests.  Each test is one class of bug that
 * shipped in real SVGA implementations; each asserts the reaction
 * docs/executor.md documents (refused, nothing changed, defined bytes), and
 * ASan/UBSan (make check's second build) asserts that nothing was touched
 * outside its object. */
#include "hostile3d_util.h"

#define CID 1u
#define RT  10u /* 16x16 X8R8G8B8 */
#define ZB  11u /* 16x16 Z_D24S8 */
#define VB  12u /* 36-byte vertex buffer: 3 FLOAT3 positions */
#define IB  13u /* 6-byte index buffer: 3 16-bit indices */
#define TX  14u /* 8x8 A8R8G8B8 texture */
#define SRF 20u /* 16x16 A8R8G8B8 */

static uint32_t word_at(t3d *t, uint32_t gmr, uint32_t off)
{
    return vgt_load_le32(t->mem.gmr[gmr] + off);
}

static bool bytes_are(const uint8_t *p, size_t n, uint8_t v)
{
    for (size_t i = 0; i < n; i++) {
        if (p[i] != v) {
            return false;
        }
    }
    return true;
}

static void define(t3d *t, uint32_t sid, uint32_t flags, uint32_t format, uint32_t w, uint32_t h)
{
    cmd_surface(t, sid, flags, format, 1, w, h, 1);
    RUN(t, VGT_OK);
}

/* GMR 1 holds the three vertices of a small triangle; GMR 1 + 64 the
 * indices {0, 1, 2}. */
static t3d *scene(const h3d_backend *b)
{
    t3d *t = h3d_new(b);
    cmd_cid(t, VGT_SVGA3D_CMD_CONTEXT_DEFINE, CID);
    RUN(t, VGT_OK);
    define(t, RT, VGT_SVGA3D_SURFACE_HINT_RENDERTARGET, VGT_SVGA3D_X8R8G8B8, 16, 16);
    define(t, ZB, VGT_SVGA3D_SURFACE_HINT_DEPTHSTENCIL, VGT_SVGA3D_Z_D24S8, 16, 16);
    define(t, VB, VGT_SVGA3D_SURFACE_HINT_VERTEXBUFFER, VGT_SVGA3D_BUFFER, 36, 1);
    define(t, IB, VGT_SVGA3D_SURFACE_HINT_INDEXBUFFER, VGT_SVGA3D_BUFFER, 6, 1);
    define(t, TX, VGT_SVGA3D_SURFACE_HINT_TEXTURE, VGT_SVGA3D_A8R8G8B8, 8, 8);
    const float v[9] = {-0.5f, -0.5f, 0.5f, 0.5f, -0.5f, 0.5f, 0.0f, 0.5f, 0.5f};
    memcpy(t->mem.gmr[1], v, sizeof(v));
    const uint16_t idx[3] = {0, 1, 2};
    memcpy(t->mem.gmr[1] + 64, idx, sizeof(idx));
    cmd_dma(t, 1, 0, 0, VB, 0, 0, VGT_SVGA3D_WRITE_HOST_VRAM);
    c_box(t, 0, 0, 0, 36, 1, 1, 0, 0, 0);
    RUN(t, VGT_OK);
    cmd_dma(t, 1, 64, 0, IB, 0, 0, VGT_SVGA3D_WRITE_HOST_VRAM);
    c_box(t, 0, 0, 0, 6, 1, 1, 0, 0, 0);
    RUN(t, VGT_OK);
    cmd_rt(t, CID, VGT_SVGA3D_RT_COLOR0, RT);
    RUN(t, VGT_OK);
    cmd_rt(t, CID, VGT_SVGA3D_RT_DEPTH, ZB);
    RUN(t, VGT_OK);
    cmd_tex(t, CID, 0, VGT_SVGA3D_TS_BIND_TEXTURE, TX);
    RUN(t, VGT_OK);
    return t;
}

static void clear_color(t3d *t, uint32_t color)
{
    c_begin(t, VGT_SVGA3D_CMD_CLEAR);
    c_u32(t, CID);
    c_u32(t, VGT_SVGA3D_CLEAR_COLOR);
    c_u32(t, color);
    c_f32(t, 1.0f);
    c_u32(t, 0);
}

/* READ_HOST_VRAM of a whole w x h 32-bit image into GMR 2 at 0. */
static void read_back(t3d *t, uint32_t sid, uint32_t w, uint32_t h)
{
    memset(t->mem.gmr[2], 0xAA, (size_t)w * h * 4u + 64u);
    cmd_dma(t, 2, 0, w * 4u, sid, 0, 0, VGT_SVGA3D_READ_HOST_VRAM);
    c_box(t, 0, 0, 0, w, h, 1, 0, 0, 0);
    RUN(t, VGT_OK);
}

/* Uninitialized host memory must never reach the guest: READ_HOST_VRAM of
 * a surface nobody wrote returns zeros, exactly, on every backend and for
 * every kind of storage (color, depth/stencil, compressed, buffer), and a
 * redefined id does not show the old surface's bytes. */
static void test_readback_of_unwritten_surfaces_is_zero(void **state)
{
    (void)state;
    static const struct {
        uint32_t format, w, h, pitch, bytes;
    } kinds[] = {
        {VGT_SVGA3D_X8R8G8B8, 16, 16, 64, 1024}, {VGT_SVGA3D_Z_D24S8, 16, 16, 64, 1024},
        {VGT_SVGA3D_DXT1, 16, 16, 32, 128},      {VGT_SVGA3D_R5G6B5, 8, 8, 16, 128},
        {VGT_SVGA3D_BUFFER, 256, 1, 256, 256},
    };
    for (size_t b = 0; b < H3D_BACKENDS; b++) {
        t3d *t = h3d_new(&h3d_backends[b]);
        for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
            define(t, SRF + (uint32_t)k, 0, kinds[k].format, kinds[k].w, kinds[k].h);
            memset(t->mem.gmr[0], 0xAA, 4096);
            cmd_dma(t, 0, 0, kinds[k].pitch, SRF + (uint32_t)k, 0, 0, VGT_SVGA3D_READ_HOST_VRAM);
            c_box(t, 0, 0, 0, kinds[k].w, kinds[k].h, 1, 0, 0, 0);
            RUN(t, VGT_OK);
            if (!bytes_are(t->mem.gmr[0], kinds[k].bytes, 0)) {
                fail_msg("%s: format %u: readback of an unwritten surface is not zero",
                         h3d_backends[b].name, kinds[k].format);
            }
            assert_true(bytes_are(t->mem.gmr[0] + kinds[k].bytes, 64, 0xAA));
        }
        /* Written, then redefined under the same id: zeros again. */
        memset(t->mem.gmr[1], 0x55, 1024);
        cmd_dma(t, 1, 0, 64, SRF, 0, 0, VGT_SVGA3D_WRITE_HOST_VRAM);
        c_box(t, 0, 0, 0, 16, 16, 1, 0, 0, 0);
        RUN(t, VGT_OK);
        define(t, SRF, 0, VGT_SVGA3D_X8R8G8B8, 16, 16);
        read_back(t, SRF, 16, 16);
        assert_true(bytes_are(t->mem.gmr[2], 1024, 0));
        t3d_free(t);
    }
}

static void cmd_query(t3d *t, uint32_t id, uint32_t offset)
{
    c_begin(t, id);
    c_u32(t, CID);
    c_u32(t, VGT_SVGA3D_QUERYTYPE_OCCLUSION);
    if (id != VGT_SVGA3D_CMD_BEGIN_QUERY) {
        c_u32(t, 0);
        c_u32(t, offset);
    }
}

/* Query results are defined bytes: {SUCCEEDED, count} (0 without draws) or
 * FAILED, written exactly where the guest asked, total_size untouched. */
static void test_query_results_are_defined(void **state)
{
    (void)state;
    for (size_t b = 0; b < H3D_BACKENDS; b++) {
        t3d *t = scene(&h3d_backends[b]);
        memset(t->mem.gmr[0], 0xAA, 256);
        cmd_query(t, VGT_SVGA3D_CMD_BEGIN_QUERY, 0);
        RUN(t, VGT_OK);
        cmd_query(t, VGT_SVGA3D_CMD_END_QUERY, 64);
        RUN(t, VGT_OK);
        assert_int_equal(word_at(t, 0, 64), 0xAAAAAAAAu);
        assert_int_equal(word_at(t, 0, 68), VGT_SVGA3D_QUERYSTATE_SUCCEEDED);
        assert_int_equal(word_at(t, 0, 72), 0);
        assert_true(bytes_are(t->mem.gmr[0], 64, 0xAA));
        assert_true(bytes_are(t->mem.gmr[0] + 76, 180, 0xAA));
        /* END again without BEGIN: FAILED, and the command fails. */
        cmd_query(t, VGT_SVGA3D_CMD_END_QUERY, 128);
        RUN(t, VGT_E_STATE);
        assert_int_equal(word_at(t, 0, 132), VGT_SVGA3D_QUERYSTATE_FAILED);
        /* A result pointer that straddles the end of the GMR: refused, and
         * nothing is written. */
        cmd_query(t, VGT_SVGA3D_CMD_BEGIN_QUERY, 0);
        RUN(t, VGT_OK);
        memset(t->mem.gmr[0] + (1u << 20) - 16u, 0xAA, 16);
        cmd_query(t, VGT_SVGA3D_CMD_END_QUERY, (1u << 20) - 8u);
        RUN(t, VGT_E_RANGE);
        assert_true(bytes_are(t->mem.gmr[0] + (1u << 20) - 16u, 16, 0xAA));
        t3d_free(t);
    }
}

/* Expects a refused SURFACE_DMA and an unchanged host surface (all zero:
 * nothing was ever uploaded to SRF in this test). */
static void dma_refused(t3d *t, const char *what)
{
    vgt_status st;
    if (h3d_try(t, false, &st) == H3D_ACCEPTED) {
        fail_msg("SURFACE_DMA %s was accepted", what);
    }
    if (st != VGT_E_RANGE && st != VGT_E_NOTFOUND && st != VGT_E_INVALID) {
        fail_msg("SURFACE_DMA %s: status %d (%s)", what, st, t->err.message);
    }
}

/* DMA box and guest range arithmetic: x + w wrapping, boxes past the image,
 * a guest origin or pitch x rows past 4 GiB, the DMA suffix's maximum
 * offset, a guest pointer past its GMR, faces and mips that do not exist. */
static void test_dma_box_arithmetic(void **state)
{
    (void)state;
    for (size_t b = 0; b < H3D_BACKENDS; b++) {
        t3d *t = h3d_new(&h3d_backends[b]);
        define(t, SRF, 0, VGT_SVGA3D_A8R8G8B8, 16, 16);
        memset(t->mem.gmr[0], 0x77, 4096);
        static const uint32_t boxes[][9] = {
            {0xFFFFFFFFu, 0, 0, 2, 1, 1, 0, 0, 0},    /* x + w wraps */
            {8, 0, 0, 9, 1, 1, 0, 0, 0},              /* past the right edge */
            {0, 0xFFFFFFF0u, 0, 1, 0x20, 1, 0, 0, 0}, /* y + h wraps */
            {0, 0, 1, 1, 1, 1, 0, 0, 0},              /* z past a 2D image */
            {0, 0, 0, 1, 1, 0xFFFFFFFFu, 0, 0, 0},    /* depth */
            {0, 0, 0, 16, 1, 1, 0xFFFFFFF0u, 0, 0},   /* guest x origin wraps */
            {0, 0, 0, 16, 16, 1, 0, 0x10000000u, 0},  /* guest rows past 4 GiB */
            {0, 0, 0, 16, 16, 1, 0, 0, 0x7FFFFFFFu},  /* guest slices past 4 GiB */
            {0, 0, 0, 16, 16, 1, 0, 0x4000u, 0},      /* past the 1 MiB GMR */
        };
        for (uint32_t dir = 0; dir < 2; dir++) {
            uint32_t tr = dir ? VGT_SVGA3D_READ_HOST_VRAM : VGT_SVGA3D_WRITE_HOST_VRAM;
            for (size_t i = 0; i < sizeof(boxes) / sizeof(boxes[0]); i++) {
                cmd_dma(t, 0, 0, 64, SRF, 0, 0, tr);
                c_mem(t, boxes[i], sizeof(boxes[i]));
                char what[64];
                snprintf(what, sizeof(what), "%s box %zu", h3d_backends[b].name, i);
                dma_refused(t, what);
            }
            /* pitch x rows past 4 GiB, a guest offset near 4 GiB. */
            cmd_dma(t, 0, 0, 0xFFFFFFFFu, SRF, 0, 0, tr);
            c_box(t, 0, 0, 0, 16, 2, 1, 0, 0, 0);
            dma_refused(t, "huge pitch");
            cmd_dma(t, 0, 0xFFFFFF00u, 64, SRF, 0, 0, tr);
            c_box(t, 0, 0, 0, 16, 16, 1, 0, 0, 0);
            dma_refused(t, "offset near 4 GiB");
            /* The suffix's maximum offset is exclusive: 1023 refuses a
             * 1024-byte image, 1024 takes it. */
            cmd_dma(t, 0, 0, 64, SRF, 0, 0, tr);
            c_box(t, 0, 0, 0, 16, 16, 1, 0, 0, 0);
            c_suffix(t, 1023, 0);
            dma_refused(t, "past maximumOffset");
            cmd_dma(t, 0, 0, 64, SRF, 7, 0, tr);
            c_box(t, 0, 0, 0, 1, 1, 1, 0, 0, 0);
            dma_refused(t, "face 7");
            cmd_dma(t, 0, 0, 64, SRF, 0, 1, tr);
            c_box(t, 0, 0, 0, 1, 1, 1, 0, 0, 0);
            dma_refused(t, "mip 1 of 1");
            cmd_dma(t, 7, 0, 64, SRF, 0, 0, tr); /* GMR 7 is not defined */
            c_box(t, 0, 0, 0, 16, 16, 1, 0, 0, 0);
            dma_refused(t, "undefined GMR");
        }
        /* Nothing reached the host surface, nothing the guest owns moved. */
        assert_true(bytes_are(t->mem.gmr[0], 4096, 0x77));
        cmd_dma(t, 0, 0, 64, SRF, 0, 0, VGT_SVGA3D_WRITE_HOST_VRAM);
        c_box(t, 0, 0, 0, 16, 16, 1, 0, 0, 0);
        c_suffix(t, 1024, 0);
        RUN(t, VGT_OK);
        t3d_free(t);
    }
}

/* SURFACE_COPY and SURFACE_STRETCHBLT boxes outside either surface. */
static void test_copy_boxes_outside_either_surface(void **state)
{
    (void)state;
    for (size_t b = 0; b < H3D_BACKENDS; b++) {
        t3d *t = h3d_new(&h3d_backends[b]);
        define(t, SRF, 0, VGT_SVGA3D_A8R8G8B8, 16, 16);
        define(t, SRF + 1, 0, VGT_SVGA3D_A8R8G8B8, 8, 8);
        define(t, SRF + 2, 0, VGT_SVGA3D_R5G6B5, 16, 16);
        static const uint32_t boxes[][9] = {
            /* x y z w h d srcx srcy srcz; dst is SRF+1 (8x8), src SRF (16x16) */
            {0, 0, 0, 8, 8, 1, 12, 12, 0},          /* inside dst, outside src */
            {4, 4, 0, 8, 8, 1, 0, 0, 0},            /* inside src, outside dst */
            {0xFFFFFFF8u, 0, 0, 16, 1, 1, 0, 0, 0}, /* dst x + w wraps */
            {0, 0, 0, 8, 1, 1, 0xFFFFFFFCu, 0, 0},  /* src x + w wraps */
            {0, 0, 0, 1, 1, 2, 0, 0, 0},            /* depth 2 of 2D images */
            {0, 0, 0, 1, 1, 1, 0, 0, 0xFFFFFFFFu},  /* src z */
        };
        for (size_t i = 0; i < sizeof(boxes) / sizeof(boxes[0]); i++) {
            c_begin(t, VGT_SVGA3D_CMD_SURFACE_COPY);
            c_u32(t, SRF); /* src image */
            c_u32(t, 0);
            c_u32(t, 0);
            c_u32(t, SRF + 1); /* dst image */
            c_u32(t, 0);
            c_u32(t, 0);
            c_mem(t, boxes[i], sizeof(boxes[i]));
            REFUSED(t);
        }
        /* Different block sizes. */
        c_begin(t, VGT_SVGA3D_CMD_SURFACE_COPY);
        uint32_t img[6] = {SRF + 2, 0, 0, SRF, 0, 0};
        c_mem(t, img, sizeof(img));
        c_box(t, 0, 0, 0, 1, 1, 1, 0, 0, 0);
        REFUSED(t);
        /* Stretch boxes outside, wrapping, inverted. */
        static const uint32_t sb[][12] = {
            {0, 0, 0, 17, 16, 1, 0, 0, 0, 8, 8, 1},
            {0, 0, 0, 16, 16, 1, 0, 0, 0, 9, 8, 1},
            {0xFFFFFFFFu, 0, 0, 2, 1, 1, 0, 0, 0, 1, 1, 1},
            {0, 0, 0, 1, 1, 1, 0, 0xFFFFFFFFu, 0, 1, 2, 1},
        };
        for (size_t i = 0; i < sizeof(sb) / sizeof(sb[0]); i++) {
            c_begin(t, VGT_SVGA3D_CMD_SURFACE_STRETCHBLT);
            c_u32(t, SRF);
            c_u32(t, 0);
            c_u32(t, 0);
            c_u32(t, SRF + 1);
            c_u32(t, 0);
            c_u32(t, 0);
            c_mem(t, sb[i], sizeof(sb[i]));
            c_u32(t, VGT_SVGA3D_STRETCH_BLT_POINT);
            REFUSED(t);
        }
        /* A good copy still works. */
        c_begin(t, VGT_SVGA3D_CMD_SURFACE_COPY);
        uint32_t ok[6] = {SRF, 0, 0, SRF + 1, 0, 0};
        c_mem(t, ok, sizeof(ok));
        c_box(t, 0, 0, 0, 8, 8, 1, 8, 8, 0);
        RUN(t, VGT_OK);
        t3d_free(t);
    }
}

static void raw_define(t3d *t, uint32_t sid, uint32_t flags, uint32_t format, const uint32_t *mips,
                       const uint32_t *sizes, uint32_t nsizes)
{
    c_begin(t, VGT_SVGA3D_CMD_SURFACE_DEFINE);
    c_u32(t, sid);
    c_u32(t, flags);
    c_u32(t, format);
    for (uint32_t f = 0; f < 6; f++) {
        c_u32(t, mips[f]);
    }
    c_mem(t, sizes, (size_t)nsizes * 12u);
}

/* Surface definitions with overflowing sizes, inconsistent mips or faces:
 * refused, and the id stays undefined.  All surfaces together are limited. */
static void test_surface_definitions(void **state)
{
    (void)state;
    for (size_t b = 0; b < H3D_BACKENDS; b++) {
        t3d *t = h3d_new(&h3d_backends[b]);
        const uint32_t one[6] = {1, 0, 0, 0, 0, 0};
        const uint32_t two[6] = {2, 0, 0, 0, 0, 0};
        const uint32_t cube_bad[6] = {2, 1, 2, 2, 2, 2};
        const uint32_t cube1[6] = {1, 1, 1, 1, 1, 1};
        const uint32_t huge[3] = {0xFFFFFFFFu, 0xFFFFFFFFu, 1};
        const uint32_t vol[3] = {16384, 16384, 16384};
        const uint32_t zero[3] = {0, 16, 1};
        const uint32_t chain_same[6] = {16, 16, 1, 16, 16, 1};
        const uint32_t chain_ok[6] = {16, 16, 1, 8, 8, 1};
        uint32_t cube_sizes[11 * 3];
        for (uint32_t i = 0; i < 11; i++) {
            cube_sizes[3 * i] = (i % 2) ? 8 : 16;
            cube_sizes[3 * i + 1] = (i % 2) ? 8 : 16;
            cube_sizes[3 * i + 2] = 1;
        }
        const uint32_t rect_cube[18] = {16, 8, 1, 16, 8, 1, 16, 8, 1, 16, 8, 1, 16, 8, 1, 16, 8, 1};
        raw_define(t, SRF, 0, VGT_SVGA3D_A8R8G8B8, one, huge, 1);
        REFUSED(t);
        raw_define(t, SRF, 0, VGT_SVGA3D_A8R8G8B8, one, vol, 1);
        REFUSED(t);
        raw_define(t, SRF, 0, VGT_SVGA3D_A8R8G8B8, one, zero, 1);
        REFUSED(t);
        raw_define(t, SRF, 0, VGT_SVGA3D_A8R8G8B8, two, chain_same, 2);
        REFUSED(t);
        raw_define(t, SRF, 0, VGT_SVGA3D_BUFFER, two, chain_ok, 2);
        REFUSED(t);
        raw_define(t, SRF, VGT_SVGA3D_SURFACE_CUBEMAP, VGT_SVGA3D_A8R8G8B8, cube_bad, cube_sizes,
                   11);
        REFUSED(t);
        raw_define(t, SRF, VGT_SVGA3D_SURFACE_CUBEMAP, VGT_SVGA3D_A8R8G8B8, cube1, rect_cube, 6);
        REFUSED(t);
        raw_define(t, SRF, 0, 0xDEADu, one, chain_ok, 1);
        REFUSED(t);
        /* 33 levels of a 1x1 surface. */
        uint32_t many[6] = {33, 0, 0, 0, 0, 0};
        uint32_t sizes[33 * 3];
        for (uint32_t i = 0; i < 33 * 3; i++) {
            sizes[i] = 1;
        }
        raw_define(t, SRF, 0, VGT_SVGA3D_A8R8G8B8, many, sizes, 33);
        REFUSED(t);
        /* The header says more sizes than the mip counts do (or fewer). */
        raw_define(t, SRF, 0, VGT_SVGA3D_A8R8G8B8, one, chain_ok, 2);
        REFUSED(t);
        raw_define(t, SRF, 0, VGT_SVGA3D_A8R8G8B8, two, chain_ok, 1);
        REFUSED(t);
        c_begin(t, VGT_SVGA3D_CMD_SURFACE_DESTROY);
        c_u32(t, SRF);
        RUN(t, VGT_E_NOTFOUND);
        t3d_free(t);
    }
    /* All surfaces together: at most 4 GiB (the null backend without
     * contents allocates nothing per surface, so this costs no memory). */
    t3d *t = h3d_new(&h3d_backends[0]);
    uint32_t defined = 0;
    for (uint32_t i = 0; i < 6; i++) {
        cmd_surface(t, SRF + i, 0, VGT_SVGA3D_ARGB_S23E8, 1, 8192, 8192, 1);
        vgt_status st;
        if (h3d_try(t, false, &st) == H3D_ACCEPTED) {
            defined++;
        } else {
            assert_int_equal(st, VGT_E_NOMEM); /* the budget of all surfaces */
        }
    }
    assert_int_equal(defined, 4);
    t3d_free(t);
}

static void draw(t3d *t, uint32_t vb, uint32_t prim_count, uint32_t ib, uint32_t ib_offset,
                 int32_t bias)
{
    cmd_draw(t, CID, vb, 0, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, prim_count, ib, ib_offset, bias);
}

/* Destroying or redefining objects while they are bound: no stale pointer
 * survives (ASan), a new surface under the same id is not silently bound. */
static void test_destroy_and_redefine_while_bound(void **state)
{
    (void)state;
    for (size_t b = 0; b < H3D_BACKENDS; b++) {
        t3d *t = scene(&h3d_backends[b]);
        draw(t, VB, 1, IB, 0, 0);
        RUN(t, VGT_OK);
        /* The bound texture goes away: the stage samples nothing. */
        c_begin(t, VGT_SVGA3D_CMD_SURFACE_DESTROY);
        c_u32(t, TX);
        RUN(t, VGT_OK);
        draw(t, VB, 1, IB, 0, 0);
        RUN(t, VGT_OK);
        /* The render target is redefined smaller: unbound everywhere. */
        define(t, RT, VGT_SVGA3D_SURFACE_HINT_RENDERTARGET, VGT_SVGA3D_X8R8G8B8, 4, 4);
        clear_color(t, 0xFF00FF00u);
        RUN(t, VGT_E_STATE);
        cmd_rt(t, CID, VGT_SVGA3D_RT_DEPTH, VGT_SVGA3D_INVALID_ID);
        RUN(t, VGT_OK);
        draw(t, VB, 1, IB, 0, 0);
        RUN(t, VGT_E_STATE);
        /* Bound again (4x4), drawing writes only inside it. */
        cmd_rt(t, CID, VGT_SVGA3D_RT_COLOR0, RT);
        RUN(t, VGT_OK);
        clear_color(t, 0xFF00FF00u);
        RUN(t, VGT_OK);
        draw(t, VB, 1, IB, 0, 0);
        RUN(t, VGT_OK);
        /* Vertex and index buffers destroyed under a draw. */
        c_begin(t, VGT_SVGA3D_CMD_SURFACE_DESTROY);
        c_u32(t, IB);
        RUN(t, VGT_OK);
        draw(t, VB, 1, IB, 0, 0);
        RUN(t, VGT_E_NOTFOUND);
        c_begin(t, VGT_SVGA3D_CMD_SURFACE_DESTROY);
        c_u32(t, VB);
        RUN(t, VGT_OK);
        draw(t, VB, 1, VGT_SVGA3D_INVALID_ID, 0, 0);
        RUN(t, VGT_E_NOTFOUND);
        /* The context goes away with an active query; then everything. */
        cmd_query(t, VGT_SVGA3D_CMD_BEGIN_QUERY, 0);
        RUN(t, VGT_OK);
        cmd_cid(t, VGT_SVGA3D_CMD_CONTEXT_DESTROY, CID);
        RUN(t, VGT_OK);
        cmd_query(t, VGT_SVGA3D_CMD_END_QUERY, 0);
        RUN(t, VGT_E_NOTFOUND);
        c_begin(t, VGT_SVGA3D_CMD_SURFACE_DESTROY);
        c_u32(t, RT);
        RUN(t, VGT_OK);
        t3d_free(t);
    }
}

/* Every enum and index the guest gives: out of range is refused (by the
 * decoder or the executor), and a correct draw still works afterwards. */
static void test_every_enum_and_index(void **state)
{
    (void)state;
    for (size_t b = 0; b < H3D_BACKENDS; b++) {
        t3d *t = scene(&h3d_backends[b]);
        const uint32_t bad_rs[] = {0, VGT_SVGA3D_RS_MAX, 0xFFFFFFFFu};
        for (size_t i = 0; i < 3; i++) {
            c_begin(t, VGT_SVGA3D_CMD_SETRENDERSTATE);
            c_u32(t, CID);
            c_u32(t, bad_rs[i]);
            c_u32(t, 1);
            REFUSED(t);
        }
        /* A legal state with an illegal value. */
        c_begin(t, VGT_SVGA3D_CMD_SETRENDERSTATE);
        c_u32(t, CID);
        c_u32(t, VGT_SVGA3D_RS_ZFUNC);
        c_u32(t, 0xFFFFu);
        REFUSED(t);
        cmd_tex(t, CID, 16, VGT_SVGA3D_TS_COLOROP, VGT_SVGA3D_TC_MODULATE);
        REFUSED(t);
        cmd_tex(t, CID, 0xFFFFFFFFu, VGT_SVGA3D_TS_COLOROP, VGT_SVGA3D_TC_MODULATE);
        REFUSED(t);
        cmd_tex(t, CID, 0, VGT_SVGA3D_TS_MAX, 0);
        REFUSED(t);
        cmd_tex(t, CID, 0, VGT_SVGA3D_TS_BIND_TEXTURE, 0x7FFFu);
        REFUSED(t);
        cmd_tex(t, CID, 0, VGT_SVGA3D_TS_BIND_TEXTURE, VB); /* a buffer as a texture */
        REFUSED(t);
        const uint32_t bad_tf[] = {VGT_SVGA3D_TRANSFORM_MAX, 0xFFFFFFFFu};
        for (size_t i = 0; i < 2; i++) {
            c_begin(t, VGT_SVGA3D_CMD_SETTRANSFORM);
            c_u32(t, CID);
            c_u32(t, bad_tf[i]);
            for (int k = 0; k < 16; k++) {
                c_f32(t, 1.0f);
            }
            REFUSED(t);
        }
        c_begin(t, VGT_SVGA3D_CMD_SETLIGHTENABLED);
        c_u32(t, CID);
        c_u32(t, 32);
        c_u32(t, 1);
        REFUSED(t);
        c_begin(t, VGT_SVGA3D_CMD_SETLIGHTDATA);
        c_u32(t, CID);
        c_u32(t, 0xFFFFFFFFu);
        for (int k = 0; k < 25; k++) {
            c_u32(t, 0);
        }
        REFUSED(t);
        c_begin(t, VGT_SVGA3D_CMD_SETCLIPPLANE);
        c_u32(t, CID);
        c_u32(t, 6);
        for (int k = 0; k < 4; k++) {
            c_f32(t, 0.0f);
        }
        REFUSED(t);
        cmd_rt(t, CID, VGT_SVGA3D_RT_MAX, RT);
        REFUSED(t);
        cmd_rt(t, CID, VGT_SVGA3D_RT_COLOR0, ZB); /* depth format as color */
        REFUSED(t);
        cmd_rt(t, CID, VGT_SVGA3D_RT_DEPTH, RT); /* color format as depth */
        REFUSED(t);
        c_begin(t, VGT_SVGA3D_CMD_BEGIN_QUERY);
        c_u32(t, CID);
        c_u32(t, VGT_SVGA3D_QUERYTYPE_MAX);
        REFUSED(t);
        cmd_cid(t, VGT_SVGA3D_CMD_CONTEXT_DEFINE, 0xFFFFFFFFu);
        REFUSED(t);
        cmd_cid(t, VGT_SVGA3D_CMD_CONTEXT_DESTROY, 256);
        REFUSED(t);
        c_begin(t, VGT_SVGA3D_CMD_SET_SHADER);
        c_u32(t, CID);
        c_u32(t, VGT_SVGA3D_SHADERTYPE_MAX);
        c_u32(t, 0);
        REFUSED(t);
        c_begin(t, VGT_SVGA3D_CMD_SET_SHADER_CONST);
        c_u32(t, CID);
        c_u32(t, 256); /* register past the VS float file */
        c_u32(t, VGT_SVGA3D_SHADERTYPE_VS);
        c_u32(t, 0); /* FLOAT */
        for (int k = 0; k < 4; k++) {
            c_f32(t, 1.0f);
        }
        REFUSED(t);
        c_begin(t, VGT_SVGA3D_CMD_SET_SHADER_CONST);
        c_u32(t, CID);
        c_u32(t, 0);
        c_u32(t, VGT_SVGA3D_SHADERTYPE_VS);
        c_u32(t, 7); /* no such constant type */
        for (int k = 0; k < 4; k++) {
            c_f32(t, 1.0f);
        }
        REFUSED(t);
        /* Primitive types and index widths. */
        const uint32_t prims[] = {0, VGT_SVGA3D_PRIMITIVE_MAX, 0xFFFFFFFFu};
        for (size_t i = 0; i < 3; i++) {
            cmd_draw(t, CID, VB, 0, prims[i], 1, VGT_SVGA3D_INVALID_ID, 0, 0);
            REFUSED(t);
        }
        const uint32_t widths[] = {0, 1, 3, 8};
        for (size_t i = 0; i < 4; i++) {
            cmd_draw(t, CID, VB, 0, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1, IB, 0, 0);
            t->words[t->n - 2] = widths[i]; /* indexWidth */
            t->words[t->n - 3] = widths[i]; /* indexArray.stride */
            REFUSED(t);
        }
        /* Declaration type/usage out of range. */
        cmd_draw(t, CID, VB, 0, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1, VGT_SVGA3D_INVALID_ID, 0, 0);
        t->words[5] = 0xFFu; /* decl type */
        REFUSED(t);
        cmd_draw(t, CID, VB, 0, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1, VGT_SVGA3D_INVALID_ID, 0, 0);
        t->words[7] = 0xFFu; /* decl usage */
        REFUSED(t);
        /* Still a working context. */
        draw(t, VB, 1, IB, 0, 0);
        RUN(t, VGT_OK);
        t3d_free(t);
    }
}

/* Vertex and index fetches outside their buffers.  The executor refuses
 * what it can see (counts, offsets, bias); the soft backend checks every
 * index value and refuses the draw before drawing anything. */
static void test_draw_fetch_outside_buffers(void **state)
{
    (void)state;
    for (size_t b = 0; b < H3D_BACKENDS; b++) {
        bool soft = h3d_backends[b].kind == VGT_BACKEND_SOFT;
        t3d *t = scene(&h3d_backends[b]);
        clear_color(t, 0xFF112233u);
        RUN(t, VGT_OK);
        /* 2 triangles from a 3-vertex buffer. */
        draw(t, VB, 2, VGT_SVGA3D_INVALID_ID, 0, 0);
        RUN(t, VGT_E_RANGE);
        draw(t, VB, 1, VGT_SVGA3D_INVALID_ID, 0, 1); /* first vertex 1: 1..3 */
        RUN(t, VGT_E_RANGE);
        draw(t, VB, 1, VGT_SVGA3D_INVALID_ID, 0, -1);
        RUN(t, VGT_E_RANGE);
        cmd_draw(t, CID, VB, 0xFFFFFFF0u, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1,
                 VGT_SVGA3D_INVALID_ID, 0, 0);
        RUN(t, VGT_E_RANGE);
        draw(t, VB, 1, IB, 2, 0); /* indices 1..3 of a 3-index buffer */
        RUN(t, VGT_E_RANGE);
        draw(t, VB, 1, IB, 0xFFFFFFFEu, 0);
        RUN(t, VGT_E_RANGE);
        draw(t, VB, 0x7FFFFFFFu, IB, 0, 0);
        REFUSED(t);
        /* Index values out of the vertex buffer: only a backend that fetches
         * can know; soft refuses the draw, null fetches nothing. */
        const uint16_t bad[3] = {0, 1, 0xFFFF};
        memcpy(t->mem.gmr[1] + 128, bad, sizeof(bad));
        cmd_dma(t, 1, 128, 0, IB, 0, 0, VGT_SVGA3D_WRITE_HOST_VRAM);
        c_box(t, 0, 0, 0, 6, 1, 1, 0, 0, 0);
        RUN(t, VGT_OK);
        draw(t, VB, 1, IB, 0, 0);
        RUN(t, soft ? VGT_E_RANGE : VGT_OK);
        /* A bias that pushes good indices out (and one that would wrap). */
        const uint16_t good[3] = {0, 1, 2};
        memcpy(t->mem.gmr[1] + 128, good, sizeof(good));
        cmd_dma(t, 1, 128, 0, IB, 0, 0, VGT_SVGA3D_WRITE_HOST_VRAM);
        c_box(t, 0, 0, 0, 6, 1, 1, 0, 0, 0);
        RUN(t, VGT_OK);
        draw(t, VB, 1, IB, 0, 1);
        RUN(t, soft ? VGT_E_RANGE : VGT_OK);
        draw(t, VB, 1, IB, 0, 0x7FFFFFFF);
        RUN(t, soft ? VGT_E_RANGE : VGT_OK);
        draw(t, VB, 1, IB, 0, INT32_MIN);
        RUN(t, soft ? VGT_E_RANGE : VGT_OK);
        if (soft) {
            /* Nothing was drawn by the refused draws. */
            read_back(t, RT, 16, 16);
            for (uint32_t i = 0; i < 256; i++) {
                assert_int_equal(word_at(t, 2, i * 4u) & 0xFFFFFFu, 0x112233u);
            }
        }
        t3d_free(t);
    }
}

/* An instanced draw of `prims` triangles from the scene's triangle list:
 * decl 0 the positions (divisor d0), decl 1 a FLOAT4 TEXCOORD0 from the
 * 64-byte buffer INST at offset/stride (divisor d1); indexed from IB, or
 * not. */
#define INST 21u
static void draw_instanced_prims(t3d *t, uint32_t d0, uint32_t d1, uint32_t offset, uint32_t stride,
                                 bool indexed, uint32_t prims)
{
    c_begin(t, VGT_SVGA3D_CMD_DRAW_PRIMITIVES);
    c_u32(t, CID);
    c_u32(t, 2);
    c_u32(t, 1);
    const uint32_t decl[2][9] = {
        {VGT_SVGA3D_DECLTYPE_FLOAT3, 0, VGT_SVGA3D_DECLUSAGE_POSITION, 0, VB, 0, 12, 0, 0},
        {VGT_SVGA3D_DECLTYPE_FLOAT4, 0, VGT_SVGA3D_DECLUSAGE_TEXCOORD, 0, INST, offset, stride, 0,
         0},
    };
    c_mem(t, decl, sizeof(decl));
    uint32_t range[7] = {
        VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, prims, VGT_SVGA3D_INVALID_ID, 0, 0, 0, 0};
    if (indexed) {
        range[2] = IB;
        range[4] = range[5] = 2;
    }
    c_mem(t, range, sizeof(range));
    c_u32(t, d0);
    c_u32(t, d1);
}

/* ... of the scene's one triangle */
static void draw_instanced(t3d *t, uint32_t d0, uint32_t d1, uint32_t offset, uint32_t stride,
                           bool indexed)
{
    draw_instanced_prims(t, d0, d1, offset, stride, indexed, 1);
}

#define IDX(n)   (VGT_SVGA3D_DIVISOR_INDEXED_DATA | (n))
#define INSTD(k) (VGT_SVGA3D_DIVISOR_INSTANCE_DATA | (k))

/* Instancing divisors (docs/executor.md, "Instancing"): the executor
 * checks the last instance's read of every instance-data element, with
 * overflow-safe arithmetic, and refuses inconsistent divisors, on every
 * backend alike (the null backend fetches nothing, so only the executor
 * can). */
static void test_instancing_divisors(void **state)
{
    (void)state;
    for (size_t b = 0; b < H3D_BACKENDS; b++) {
        bool soft = h3d_backends[b].kind == VGT_BACKEND_SOFT;
        t3d *t = scene(&h3d_backends[b]);
        define(t, INST, VGT_SVGA3D_SURFACE_HINT_VERTEXBUFFER, VGT_SVGA3D_BUFFER, 64, 1);
        for (int indexed = 0; indexed < 2; indexed++) {
            /* 4 instances of 16 bytes fill the buffer exactly; a 5th reads
             * bytes 64..79 */
            draw_instanced(t, IDX(4), INSTD(1), 0, 16, indexed);
            RUN(t, VGT_OK);
            draw_instanced(t, IDX(5), INSTD(1), 0, 16, indexed);
            RUN(t, VGT_E_RANGE);
            assert_non_null(strstr(t->err.message, "decl 1: instance 4 reads its instance data"));
            assert_non_null(strstr(t->err.message, "at byte 64, past the 64-byte vertex buffer"));
            /* pairs share a value: 8 instances read elements 0..3, 9 read 4 */
            draw_instanced(t, IDX(8), INSTD(2), 0, 16, indexed);
            RUN(t, VGT_OK);
            draw_instanced(t, IDX(9), INSTD(2), 0, 16, indexed);
            RUN(t, VGT_E_RANGE);
            assert_non_null(strstr(t->err.message, "element 4, offset 0, stride 16"));
            /* the offset counts: elements 4..67 past a 64-byte buffer */
            draw_instanced(t, IDX(4), INSTD(1), 4, 16, indexed);
            RUN(t, VGT_E_RANGE);
            assert_non_null(strstr(t->err.message, "at byte 52"));
        }
        /* Huge counts: no overflow, no allocation; refused by the range */
        draw_instanced(t, IDX(0x3FFFFFFFu), INSTD(1), 0, 16, true);
        RUN(t, VGT_E_RANGE);
        assert_non_null(strstr(t->err.message, "instance 1073741822"));
        draw_instanced(t, IDX(0x3FFFFFFFu), INSTD(1), 0xFFFFFFFFu, 0xFFFFFFFFu, true);
        RUN(t, VGT_E_RANGE);
        draw_instanced(t, IDX(3), INSTD(1), 0xFFFFFFF0u, 0, true);
        RUN(t, VGT_E_RANGE);
        /* ... and within the buffer (stride 0, or one value for them all):
         * the caps' primitive limit (null 2^20, soft and gl 2^24:
         * test_hostile_gl) holds for the instances together, so 2^30
         * triangles are refused rather than keep a renderer busy for
         * hours */
        const uint32_t cap = soft ? 1u << 24 : 1u << 20;
        char expect[128];
        snprintf(expect, sizeof(expect),
                 "range 0: 1073741823 instances of 1 primitives exceed the %u primitives", cap);
        draw_instanced(t, IDX(0x3FFFFFFFu), INSTD(0x3FFFFFFFu), 0, 16, true);
        RUN(t, VGT_E_RANGE);
        assert_non_null(strstr(t->err.message, expect));
        draw_instanced(t, IDX(0x3FFFFFFFu), INSTD(1), 48, 0, false);
        RUN(t, VGT_E_RANGE);
        assert_non_null(strstr(t->err.message, expect));
        /* just past the limit: 2 x (cap / 2 + 1), refused before the
         * vertices are looked at */
        draw_instanced_prims(t, IDX(2), INSTD(1), 48, 0, false, cap / 2u + 1u);
        RUN(t, VGT_E_RANGE);
        snprintf(expect, sizeof(expect), "2 instances of %u primitives exceed", cap / 2u + 1u);
        assert_non_null(strstr(t->err.message, expect));
        /* within it, one instance of as many: the vertices are too few */
        draw_instanced_prims(t, IDX(1), INSTD(1), 48, 0, false, cap / 2u + 1u);
        RUN(t, VGT_E_RANGE);
        assert_null(strstr(t->err.message, "instances of"));
        /* Inconsistent divisors: both bits; two instance counts */
        draw_instanced(t, IDX(4) | VGT_SVGA3D_DIVISOR_INSTANCE_DATA, INSTD(1), 0, 16, true);
        RUN(t, VGT_E_INVALID);
        assert_non_null(strstr(t->err.message, "decl 0: divisor 0xc0000004 sets both"));
        draw_instanced(t, IDX(4), IDX(3), 0, 16, true);
        RUN(t, VGT_E_INVALID);
        assert_non_null(strstr(t->err.message,
                               "decl 1: divisor 0x40000003 asks for 3 instances, decl 0 for 4"));
        /* a count without either bit (D3D9's vertex stream frequency) in
         * an indexed draw without a vs_3_0: ignored, as D3D9 does
         * (test_stream_frequency) */
        draw_instanced(t, 2, 0, 0, 16, true);
        RUN(t, VGT_OK);
        /* Defined as the hosts do: INDEXED_DATA | 0 is one instance, so
         * the one 16-byte value fits at offset 48 (two would not);
         * INSTANCE_DATA | 0 advances every instance, as | 1 */
        draw_instanced(t, IDX(0), INSTD(1), 48, 16, true);
        RUN(t, VGT_OK);
        draw_instanced(t, IDX(2), INSTD(1), 48, 16, true);
        RUN(t, VGT_E_RANGE);
        draw_instanced(t, IDX(4), INSTD(0), 0, 16, true);
        RUN(t, VGT_OK);
        draw_instanced(t, IDX(5), INSTD(0), 0, 16, true);
        RUN(t, VGT_E_RANGE);
        /* instance data without an INDEXED_DATA element: one instance */
        draw_instanced(t, 0, INSTD(1), 48, 16, true);
        RUN(t, VGT_OK);
        t3d_free(t);
    }
}

/* Defines shader `id` of `type` from assembly and binds it. */
static void bind_asm_shader(t3d *t, uint32_t type, uint32_t id, const char *text)
{
    uint32_t *words = NULL;
    size_t n = 0;
    vgt_shader_diag diag;
    vgt_error err = {0};
    if (vgt_shader_assemble(text, strlen(text), &words, &n, &diag, &err) != VGT_OK) {
        fail_msg("assemble: %s", err.message);
    }
    c_begin(t, VGT_SVGA3D_CMD_SHADER_DEFINE);
    c_u32(t, CID);
    c_u32(t, id);
    c_u32(t, type);
    c_mem(t, words, n * 4u);
    free(words);
    RUN(t, VGT_OK);
    c_begin(t, VGT_SVGA3D_CMD_SET_SHADER);
    c_u32(t, CID);
    c_u32(t, type);
    c_u32(t, id);
    RUN(t, VGT_OK);
}

/* One non-indexed triangle from vertex `first`: decl 0 the scene's first
 * position for every vertex (stride 0), decl 1 a FLOAT4 TEXCOORD0 of INST
 * at offset/stride, divided by `k` (a count without a flag). */
static void draw_divided_from(t3d *t, uint32_t k, uint32_t offset, uint32_t stride, uint32_t first)
{
    c_begin(t, VGT_SVGA3D_CMD_DRAW_PRIMITIVES);
    c_u32(t, CID);
    c_u32(t, 2);
    c_u32(t, 1);
    const uint32_t decl[2][9] = {
        {VGT_SVGA3D_DECLTYPE_FLOAT3, 0, VGT_SVGA3D_DECLUSAGE_POSITION, 0, VB, 0, 0, 0, 0},
        {VGT_SVGA3D_DECLTYPE_FLOAT4, 0, VGT_SVGA3D_DECLUSAGE_TEXCOORD, 0, INST, offset, stride, 0,
         0},
    };
    c_mem(t, decl, sizeof(decl));
    const uint32_t range[7] = {
        VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 1, VGT_SVGA3D_INVALID_ID, 0, 0, 0, first};
    c_mem(t, range, sizeof(range));
    c_u32(t, 0);
    c_u32(t, k);
}

/* Direct3D 9's vertex stream frequency (docs/executor.md "Vertex stream
 * frequency"): a divisor count k > 1 without INDEXED_DATA or INSTANCE_DATA
 * on decl 1 (the 64-byte buffer INST) is ignored without a vs_3_0 (every
 * backend; the null backend runs no shaders) and in indexed draws; with a
 * vs_3_0 in a non-indexed draw the executor checks the last element the
 * division reads, overflow-safe, and refuses it combined with instancing. */
static void test_stream_frequency(void **state)
{
    (void)state;
    for (size_t b = 0; b < H3D_BACKENDS; b++) {
        bool soft = h3d_backends[b].kind == VGT_BACKEND_SOFT;
        t3d *t = scene(&h3d_backends[b]);
        define(t, INST, VGT_SVGA3D_SURFACE_HINT_VERTEXBUFFER, VGT_SVGA3D_BUFFER, 64, 1);
        /* fixed function: read per vertex, so vertex 2 at 48 + 32 is past
         * the end */
        draw_instanced(t, 0, 3, 48, 16, false);
        RUN(t, VGT_E_RANGE);
        assert_non_null(strstr(t->err.message, "vertex 2 of element 1 (offset 48, stride 16)"));
        if (!soft) {
            t3d_free(t);
            continue;
        }
        bind_asm_shader(t, VGT_SVGA3D_SHADERTYPE_VS, 1,
                        "vs_3_0\ndcl_position v0\ndcl_texcoord v1\ndcl_position o0\n"
                        "dcl_texcoord o1\nmov o0, v0\nmov o1, v1\n");
        bind_asm_shader(t, VGT_SVGA3D_SHADERTYPE_PS, 2,
                        "ps_3_0\ndef c0, 1, 0, 0, 1\nmov oC0, c0\n");
        /* divided by 3, vertices 0..2 read element 0: bytes 48..63 */
        draw_instanced(t, 0, 3, 48, 16, false);
        RUN(t, VGT_OK);
        /* by 2, vertex 2 reads element 1, at byte 64 */
        draw_instanced(t, 0, 2, 48, 16, false);
        RUN(t, VGT_E_RANGE);
        assert_non_null(strstr(t->err.message,
                               "range 0: decl 1 (stream frequency 2) reads element 1 for vertex "
                               "2 (first vertex 0) at byte 64 (offset 48, stride 16), past the "
                               "64-byte vertex buffer"));
        /* the first vertex is divided on its own: from vertex 2, vertices
         * 2..4 read element 2 / 3 + i / 3 = 0 ((2 + i) / 3 would reach
         * element 1, at byte 64); from vertex 3, element 1 */
        draw_divided_from(t, 3, 48, 16, 2);
        RUN(t, VGT_OK);
        draw_divided_from(t, 3, 48, 16, 3);
        RUN(t, VGT_E_RANGE);
        assert_non_null(strstr(t->err.message,
                               "decl 1 (stream frequency 3) reads element 1 for vertex 5 (first "
                               "vertex 3) at byte 64"));
        /* counts 0 and 1 read every vertex, as without a divisor */
        draw_instanced(t, 0, 1, 48, 16, false);
        RUN(t, VGT_E_RANGE);
        assert_non_null(strstr(t->err.message, "vertex 2 of element 1"));
        draw_instanced(t, 0, 0, 16, 16, false);
        RUN(t, VGT_OK);
        /* indexed: ignored, the soft fetch of index 1 finds byte 64 */
        draw_instanced(t, 0, 3, 48, 16, true);
        RUN(t, VGT_E_RANGE);
        assert_non_null(strstr(t->err.message, "vertex 1: element (usage 5.0) at byte 64 + 16"));
        /* huge offsets and strides: no overflow */
        draw_instanced(t, 0, 2, 0xFFFFFFF0u, 0xFFFFFFFFu, false);
        RUN(t, VGT_E_RANGE);
        assert_non_null(strstr(t->err.message, "stream frequency 2"));
        draw_instanced(t, 0, 0x3FFFFFFFu, 0xFFFFFFF0u, 0xFFFFFFFFu, false);
        RUN(t, VGT_E_RANGE);
        assert_non_null(strstr(t->err.message, "reads element 0 for vertex 2"));
        /* with instancing in a non-indexed draw: refused; indexed, the
         * frequency is ignored and the draw instanced */
        draw_instanced(t, IDX(2), 3, 0, 16, false);
        RUN(t, VGT_E_INVALID);
        assert_non_null(strstr(t->err.message,
                               "range 0: decl 1 divides its stream by 3 (Direct3D 9's vertex "
                               "stream frequency, applied to a non-indexed vs_3_0 draw) while decl "
                               "0 instances (divisor 0x40000002)"));
        draw_instanced(t, IDX(2), 3, 0, 16, true);
        RUN(t, VGT_OK);
        /* a vs_2_0 ignores it: read per vertex again */
        bind_asm_shader(t, VGT_SVGA3D_SHADERTYPE_VS, 3,
                        "vs_2_0\ndcl_position v0\ndcl_texcoord v1\nmov oPos, v0\n"
                        "mov oT0, v1\n");
        bind_asm_shader(t, VGT_SVGA3D_SHADERTYPE_PS, 4,
                        "ps_2_0\ndef c0, 1, 0, 0, 1\nmov oC0, c0\n");
        draw_instanced(t, 0, 3, 48, 16, false);
        RUN(t, VGT_E_RANGE);
        assert_non_null(strstr(t->err.message, "vertex 2 of element 1 (offset 48, stride 16)"));
        t3d_free(t);
    }
}

/* Shader bytecode abuse.  A backend that runs shaders validates the
 * bytecode at SHADER_DEFINE (garbage is refused with VGT_E_INVALID); one that
 * does not (null; docs/executor.md) stores it as is and refuses draws with a
 * bound shader (VGT_E_UNSUPPORTED).  Ids, types and binding are checked on
 * both. */
static void test_shader_bytecode_abuse(void **state)
{
    (void)state;
    for (size_t b = 0; b < H3D_BACKENDS; b++) {
        t3d *t = scene(&h3d_backends[b]);
        const vgt_backend *be = vgt_executor_backend(t->ex);
        vgt_backend_caps caps;
        memset(&caps, 0, sizeof(caps));
        be->ops->get_caps(be->self, &caps);
        c_begin(t, VGT_SVGA3D_CMD_SHADER_DEFINE);
        c_u32(t, CID);
        c_u32(t, 5);
        c_u32(t, VGT_SVGA3D_SHADERTYPE_VS);
        uint32_t x = 12345;
        for (int k = 0; k < 64; k++) {
            x = x * 1103515245u + 12345u;
            c_u32(t, x);
        }
        RUN(t, caps.shaders ? VGT_E_INVALID : VGT_OK);
        /* A version token alone, then garbage after it. */
        c_begin(t, VGT_SVGA3D_CMD_SHADER_DEFINE);
        c_u32(t, CID);
        c_u32(t, 6);
        c_u32(t, VGT_SVGA3D_SHADERTYPE_VS);
        c_u32(t, 0xFFFE0200u);
        c_u32(t, 0x0F0F0F0Fu);
        c_u32(t, 0xFFFFFFFFu);
        RUN(t, caps.shaders ? VGT_E_INVALID : VGT_OK);
        c_begin(t, VGT_SVGA3D_CMD_SHADER_DEFINE);
        c_u32(t, CID);
        c_u32(t, 8192);
        c_u32(t, VGT_SVGA3D_SHADERTYPE_VS);
        c_u32(t, 0xFFFE0200u);
        c_u32(t, 0x0000FFFFu);
        REFUSED(t);
        c_begin(t, VGT_SVGA3D_CMD_SHADER_DEFINE);
        c_u32(t, CID);
        c_u32(t, 7);
        c_u32(t, 9); /* no such shader type */
        c_u32(t, 0x0000FFFFu);
        REFUSED(t);
        c_begin(t, VGT_SVGA3D_CMD_SET_SHADER);
        c_u32(t, CID);
        c_u32(t, VGT_SVGA3D_SHADERTYPE_VS);
        c_u32(t, 7); /* never defined */
        RUN(t, VGT_E_NOTFOUND);
        if (!caps.shaders) {
            c_begin(t, VGT_SVGA3D_CMD_SET_SHADER);
            c_u32(t, CID);
            c_u32(t, VGT_SVGA3D_SHADERTYPE_VS);
            c_u32(t, 5);
            RUN(t, VGT_OK);
            draw(t, VB, 1, IB, 0, 0);
            RUN(t, VGT_E_UNSUPPORTED);
            /* Destroyed while bound: unbound, drawing works again. */
            c_begin(t, VGT_SVGA3D_CMD_SHADER_DESTROY);
            c_u32(t, CID);
            c_u32(t, 5);
            c_u32(t, VGT_SVGA3D_SHADERTYPE_VS);
            RUN(t, VGT_OK);
        }
        draw(t, VB, 1, IB, 0, 0);
        RUN(t, VGT_OK);
        t3d_free(t);
    }
}

/* A 3D header whose size is smaller than the command's fixed body, larger
 * than the words that follow, or not a multiple of 4: refused by the length
 * or the decoder, reading nothing past the command (an exact-size copy). */
static void test_header_size_smaller_than_body(void **state)
{
    (void)state;
    size_t rows = 0;
    const vgt_cmd_desc *table = vgt_cmd_table(&rows);
    uint32_t checked = 0;
    for (size_t i = 0; i < rows; i++) {
        const vgt_cmd_desc *d = &table[i];
        if (!(d->flags & VGT_CMD_F_3D) || d->body_words == 0) {
            continue;
        }
        for (uint32_t body = 0; body < d->body_words; body++) {
            uint32_t n = 2u + body;
            uint32_t *w = malloc((size_t)n * 4u);
            assert_non_null(w);
            w[0] = d->id;
            w[1] = body * 4u;
            for (uint32_t k = 2; k < n; k++) {
                w[k] = 0;
            }
            uint32_t total = 0;
            vgt_error err = {0};
            vgt_status st = vgt_cmd_length(w, n, &total, &err);
            if (st == VGT_OK && total == n) {
                vgt_cmd cmd;
                st = vgt_cmd_decode(w, n, &cmd, &err);
            }
            if (st == VGT_OK) {
                fail_msg("%s with a %u-byte body (fixed body %u words) was accepted", d->name,
                         body * 4u, d->body_words);
            }
            free(w);
            checked++;
        }
        /* Sizes that are not word multiples, or claim more than is there. */
        uint32_t w[3] = {d->id, 6, 0};
        uint32_t total = 0;
        vgt_error err = {0};
        assert_int_not_equal(vgt_cmd_length(w, 3, &total, &err), VGT_OK);
        w[1] = 0xFFFFFFFCu;
        assert_int_not_equal(vgt_cmd_length(w, 3, &total, &err), VGT_OK);
    }
    assert_true(checked > 100);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_readback_of_unwritten_surfaces_is_zero),
        cmocka_unit_test(test_query_results_are_defined),
        cmocka_unit_test(test_dma_box_arithmetic),
        cmocka_unit_test(test_copy_boxes_outside_either_surface),
        cmocka_unit_test(test_surface_definitions),
        cmocka_unit_test(test_destroy_and_redefine_while_bound),
        cmocka_unit_test(test_every_enum_and_index),
        cmocka_unit_test(test_draw_fetch_outside_buffers),
        cmocka_unit_test(test_instancing_divisors),
        cmocka_unit_test(test_stream_frequency),
        cmocka_unit_test(test_shader_bytecode_abuse),
        cmocka_unit_test(test_header_size_smaller_than_body),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
