/* The gl backend's format table: every format the soft backend supports
 * (and the others the gl table maps) survives upload + download with the
 * same bytes, for whole levels, sub-boxes with a padded guest pitch, cube
 * faces, volume slices and buffers; read_pixels decodes them as the soft
 * backend does.  The DXT formats do the same without S3TC (vgt_gl_options
 * no_s3tc, VGT_GL_NO_S3TC=1: blocks decoded on the CPU); ctest also runs
 * this whole program with VGT_GL_NO_S3TC=1 (test_gl_format_no_s3tc). */
#include "gl_test_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const uint32_t dxt_formats[] = {VGT_SVGA3D_DXT1, VGT_SVGA3D_DXT2, VGT_SVGA3D_DXT3,
                                       VGT_SVGA3D_DXT4, VGT_SVGA3D_DXT5};

/* The soft renderer's formats: the gl backend must support all of them. */
static const uint32_t soft_formats[] = {
    VGT_SVGA3D_X8R8G8B8,
    VGT_SVGA3D_A8R8G8B8,
    VGT_SVGA3D_R5G6B5,
    VGT_SVGA3D_X1R5G5B5,
    VGT_SVGA3D_A1R5G5B5,
    VGT_SVGA3D_A4R4G4B4,
    VGT_SVGA3D_Z_D32,
    VGT_SVGA3D_Z_D16,
    VGT_SVGA3D_Z_D24S8,
    VGT_SVGA3D_LUMINANCE8,
    VGT_SVGA3D_LUMINANCE8_ALPHA8,
    VGT_SVGA3D_DXT1,
    VGT_SVGA3D_DXT3,
    VGT_SVGA3D_DXT5,
    VGT_SVGA3D_ARGB_S10E5,
    VGT_SVGA3D_ARGB_S23E8,
    VGT_SVGA3D_ALPHA8,
    VGT_SVGA3D_BUFFER,
    VGT_SVGA3D_Z_D24X8,
};

static bool is_soft_format(uint32_t f)
{
    for (size_t i = 0; i < sizeof(soft_formats) / sizeof(soft_formats[0]); i++) {
        if (soft_formats[i] == f) {
            return true;
        }
    }
    return false;
}

static uint32_t rng = 12345;
static uint32_t next(void)
{
    rng = rng * 1664525u + 1013904223u;
    return rng >> 8;
}

/* Bytes that every format stores exactly: floats are finite numbers. */
static void fill(uint32_t format, uint8_t *p, size_t n)
{
    if (format == VGT_SVGA3D_ARGB_S23E8 || format == VGT_SVGA3D_R_S23E8 ||
        format == VGT_SVGA3D_RG_S23E8) {
        for (size_t i = 0; i + 4 <= n; i += 4) {
            float f = (float)(int32_t)(next() & 0xffff) / 1024.0f - 32.0f;
            memcpy(p + i, &f, 4);
        }
        return;
    }
    if (format == VGT_SVGA3D_ARGB_S10E5 || format == VGT_SVGA3D_R_S10E5 ||
        format == VGT_SVGA3D_RG_S10E5) {
        for (size_t i = 0; i + 2 <= n; i += 2) {
            /* normal halves: exponent 1..30 */
            uint16_t h = (uint16_t)((next() & 0x83ff) | ((1 + next() % 30) << 10));
            vgt_store_le16(p + i, h);
        }
        return;
    }
    for (size_t i = 0; i < n; i++) {
        p[i] = (uint8_t)next();
    }
}

static void round_trip(vgt_backend *be, uint32_t format, uint32_t w, uint32_t h, uint32_t d,
                       uint32_t faces, uint32_t mips, uint32_t *supported)
{
    scene s;
    memset(&s, 0, sizeof(s));
    s.be = *be;
    s.name = "gl";
    const vgt_surface_format_info *fi = vgt_surface_format(format);
    uint32_t flags =
        fi->buffer ? VGT_SVGA3D_SURFACE_HINT_VERTEXBUFFER : VGT_SVGA3D_SURFACE_HINT_TEXTURE;
    /* define by hand: an unsupported format is reported, not failed */
    scene_surface *ss = &s.surf[0];
    vgt_error err = {0};
    uint64_t off = 0;
    for (uint32_t f = 0; f < faces; f++) {
        for (uint32_t m = 0; m < mips; m++) {
            vgt_surface_image *im = &ss->images[f * mips + m];
            uint32_t mw = w >> m ? w >> m : 1, mh = h >> m ? h >> m : 1, md = d >> m ? d >> m : 1;
            im->size = (vgt_svga3d_size){mw, mh, md};
            assert_int_equal(vgt_surface_image_size(format, mw, mh, md, &im->row_pitch,
                                                    &im->slice_pitch, &im->bytes, &err),
                             VGT_OK);
            im->offset = off;
            off += im->bytes;
        }
    }
    vgt_backend_surface_desc desc = {.sid = 7,
                                     .format = format,
                                     .flags = flags | (faces == 6 ? VGT_SVGA3D_SURFACE_CUBEMAP : 0),
                                     .faces = faces,
                                     .mip_levels = mips,
                                     .size = {w, h, d},
                                     .total_bytes = off,
                                     .images = ss->images};
    vgt_status rc = be->ops->surface_define(be->self, &desc, &ss->host, &err);
    if (rc == VGT_E_UNSUPPORTED && !is_soft_format(format)) {
        print_message("%-18s not supported by the gl backend: %s\n", fi->name, err.message);
        return;
    }
    if (rc != VGT_OK) {
        fail_msg("%s: define: %s", fi->name, err.message);
    }
    ss->format = format;
    ss->faces = faces;
    ss->mips = mips;
    s.nsurf = 1;
    /* a fresh surface reads zeros */
    const vgt_surface_image *im0 = &ss->images[0];
    uint8_t *zero = calloc(1, (size_t)im0->bytes), *got = calloc(1, (size_t)off);
    vgt_svga3d_box whole = {0, 0, 0, im0->size.width, im0->size.height, im0->size.depth};
    assert_int_equal(be->ops->surface_download(be->self, ss->host, 0, 0, &whole, got,
                                               im0->row_pitch, im0->slice_pitch, &err),
                     VGT_OK);
    assert_memory_equal(got, zero, (size_t)im0->bytes);
    /* every image: upload, download, same bytes */
    uint8_t *data = malloc((size_t)off);
    fill(format, data, (size_t)off);
    for (uint32_t i = 0; i < faces * mips; i++) {
        const vgt_surface_image *im = &ss->images[i];
        vgt_svga3d_box box = {0, 0, 0, im->size.width, im->size.height, im->size.depth};
        if (be->ops->surface_upload(be->self, ss->host, i / mips, i % mips, &box, data + im->offset,
                                    im->row_pitch, im->slice_pitch, 0, &err)) {
            fail_msg("%s image %u: upload: %s", fi->name, i, err.message);
        }
    }
    for (uint32_t i = 0; i < faces * mips; i++) {
        const vgt_surface_image *im = &ss->images[i];
        vgt_svga3d_box box = {0, 0, 0, im->size.width, im->size.height, im->size.depth};
        memset(got, 0xcd, (size_t)im->bytes);
        if (be->ops->surface_download(be->self, ss->host, i / mips, i % mips, &box, got,
                                      im->row_pitch, im->slice_pitch, &err)) {
            fail_msg("%s image %u: download: %s", fi->name, i, err.message);
        }
        if (memcmp(got, data + im->offset, (size_t)im->bytes) != 0) {
            size_t k = 0;
            while (got[k] == data[im->offset + k]) {
                k++;
            }
            fail_msg("%s image %u (face %u level %u): byte %zu reads 0x%02x, wrote 0x%02x",
                     fi->name, i, i / mips, i % mips, k, got[k], data[im->offset + k]);
        }
    }
    /* a sub-box of level 0 with a padded pitch: the rest stays */
    if (!fi->buffer && im0->size.width >= 8 && im0->size.height >= 8) {
        uint32_t bw = fi->block_width, bh = fi->block_height;
        vgt_svga3d_box box = {bw, bh, 0, 4, 4, 1}; /* one block in for DXT */
        uint32_t bx = box.w / bw, by = box.h / bh, row = bx * fi->block_bytes;
        uint32_t pitch = row + 12;
        uint8_t *sub = malloc((size_t)pitch * by);
        fill(format, sub, (size_t)pitch * by);
        if (be->ops->surface_upload(be->self, ss->host, 0, 0, &box, sub, pitch,
                                    (uint64_t)pitch * by, 0, &err)) {
            fail_msg("%s: sub-box upload: %s", fi->name, err.message);
        }
        for (uint32_t r = 0; r < by; r++) {
            memcpy(data + (r + 1) * im0->row_pitch + fi->block_bytes, sub + (size_t)r * pitch, row);
        }
        memset(got, 0, (size_t)im0->bytes);
        assert_int_equal(be->ops->surface_download(be->self, ss->host, 0, 0, &whole, got,
                                                   im0->row_pitch, im0->slice_pitch, &err),
                         VGT_OK);
        if (memcmp(got, data, (size_t)im0->slice_pitch) != 0) {
            fail_msg("%s: level 0 after a sub-box upload differs", fi->name);
        }
        free(sub);
    }
    be->ops->surface_destroy(be->self, ss->host);
    free(zero);
    free(got);
    free(data);
    (*supported)++;
}

static void test_every_format_round_trips(void **state)
{
    (void)state;
    vgt_backend be;
    scene_backend_gl(&be);
    uint32_t supported = 0, tried = 0;
    for (uint32_t f = 1; f < VGT_SVGA3D_FORMAT_MAX; f++) {
        const vgt_surface_format_info *fi = vgt_surface_format(f);
        if (!fi) {
            continue;
        }
        tried++;
        if (fi->buffer) {
            round_trip(&be, f, 1000, 1, 1, 1, 1, &supported);
        } else {
            round_trip(&be, f, 16, 8, 1, 1, 3, &supported);
        }
    }
    print_message("%u of %u SVGA3D formats round-trip on the gl backend\n", supported, tried);
    assert_true(supported >= sizeof(soft_formats) / sizeof(soft_formats[0]));
    vgt_backend_destroy(&be);
}

static void test_cube_and_volume(void **state)
{
    (void)state;
    vgt_backend be;
    scene_backend_gl(&be);
    uint32_t n = 0;
    round_trip(&be, VGT_SVGA3D_A8R8G8B8, 8, 8, 1, 6, 2, &n);
    round_trip(&be, VGT_SVGA3D_DXT5, 8, 8, 1, 6, 1, &n);
    round_trip(&be, VGT_SVGA3D_A8R8G8B8, 8, 4, 4, 1, 2, &n);
    round_trip(&be, VGT_SVGA3D_R5G6B5, 12, 12, 3, 1, 1, &n);
    /* a DXT volume: decoded on the CPU even with S3TC (no 3D S3TC) */
    round_trip(&be, VGT_SVGA3D_DXT1, 8, 8, 4, 1, 2, &n);
    round_trip(&be, VGT_SVGA3D_DXT5, 12, 8, 3, 1, 1, &n);
    assert_int_equal(n, 6);
    vgt_backend_destroy(&be);
}

/* read_pixels of every color format the soft backend can also read: the
 * same 0xAARRGGBB as the soft backend. */
static void read_pixels_vs_soft(const char *gl_kind)
{
    static const uint32_t fmts[] = {VGT_SVGA3D_X8R8G8B8,   VGT_SVGA3D_A8R8G8B8,
                                    VGT_SVGA3D_R5G6B5,     VGT_SVGA3D_X1R5G5B5,
                                    VGT_SVGA3D_A1R5G5B5,   VGT_SVGA3D_A4R4G4B4,
                                    VGT_SVGA3D_LUMINANCE8, VGT_SVGA3D_LUMINANCE8_ALPHA8,
                                    VGT_SVGA3D_ALPHA8,     VGT_SVGA3D_DXT1,
                                    VGT_SVGA3D_DXT3,       VGT_SVGA3D_DXT5};
    for (size_t i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++) {
        uint32_t f = fmts[i];
        const vgt_surface_format_info *fi = vgt_surface_format(f);
        scene *sc[2];
        vgt_image img[2];
        uint8_t data[16 * 16 * 4];
        rng = 99;
        fill(f, data, sizeof(data));
        for (int k = 0; k < 2; k++) {
            sc[k] = calloc(1, sizeof(scene));
            scene_init(sc[k], k == 0 ? gl_kind : "soft", 16, 16, VGT_SVGA3D_A8R8G8B8, 0);
            vgt_backend_surface *t =
                scene_define(sc[k], f, VGT_SVGA3D_SURFACE_HINT_TEXTURE, 16, 16, 1, 1, 1);
            scene_upload(sc[k], t, 0, 0, data);
            vgt_error err = {0};
            assert_int_equal(vgt_image_alloc(&img[k], 13, 11, &err), VGT_OK);
            vgt_backend_view v = {t, 0, 0, f, {16, 16, 1}};
            vgt_svga3d_rect r = {2, 3, 13, 11};
            if (sc[k]->be.ops->read_pixels(sc[k]->be.self, &v, &r, img[k].pixels, img[k].stride,
                                           &err)) {
                fail_msg("%s %s: read_pixels: %s", sc[k]->name, fi->name, err.message);
            }
        }
        vgt_image_diff d;
        vgt_error err = {0};
        assert_int_equal(vgt_image_compare(&img[0], &img[1], 0, true, &d, &err), VGT_OK);
        print_message("read_pixels %-10s %-18s max delta %u, %llu pixels differ\n", gl_kind,
                      fi->name, d.max_channel_delta, (unsigned long long)d.pixels_over);
        /* DXT interpolation rounding may differ by one step */
        if (d.max_channel_delta > (fi->compressed ? 1u : 0u)) {
            fail_msg("read_pixels of %s differs from the soft backend (max delta %u)", fi->name,
                     d.max_channel_delta);
        }
        for (int k = 0; k < 2; k++) {
            vgt_image_free(&img[k]);
            scene_fini(sc[k]);
            free(sc[k]);
        }
    }
}

static void test_read_pixels_matches_soft(void **state)
{
    (void)state;
    read_pixels_vs_soft("gl");
}

/* ---- DXT without S3TC ---------------------------------------------------- */

static void backend_no_s3tc(vgt_backend *be)
{
    vgt_gl_options opt = {.no_s3tc = true};
    scene_backend_gl_opts(be, &opt);
    vgt_gl_info info;
    assert_int_equal(vgt_backend_gl_info(be, &info), VGT_OK);
    assert_false(info.s3tc);
}

static uint64_t blocks_decoded(const vgt_backend *be)
{
    vgt_gl_counters n;
    assert_int_equal(vgt_backend_gl_counters(be, &n), VGT_OK);
    return n.dxt_blocks_decoded;
}

/* Every DXT format round-trips (whole levels, partial blocks at the edges,
 * a sub-box at a padded pitch, cube faces, volume slices) with the blocks
 * decoded on the CPU; the downloads give back the guest's blocks. */
static void test_dxt_round_trip_without_s3tc(void **state)
{
    (void)state;
    vgt_backend be;
    backend_no_s3tc(&be);
    uint32_t n = 0;
    for (size_t i = 0; i < sizeof(dxt_formats) / sizeof(dxt_formats[0]); i++) {
        uint64_t before = blocks_decoded(&be);
        round_trip(&be, dxt_formats[i], 16, 8, 1, 1, 3, &n);
        round_trip(&be, dxt_formats[i], 12, 10, 1, 1, 4, &n);
        /* a definition decodes its zero blocks, each upload its blocks */
        assert_true(blocks_decoded(&be) > before);
    }
    round_trip(&be, VGT_SVGA3D_DXT5, 8, 8, 1, 6, 2, &n);
    round_trip(&be, VGT_SVGA3D_DXT1, 8, 8, 4, 1, 2, &n);
    round_trip(&be, VGT_SVGA3D_DXT3, 12, 8, 3, 1, 1, &n);
    assert_int_equal(n, 2 * 5 + 3);
    vgt_backend_destroy(&be);
}

static void test_read_pixels_matches_soft_without_s3tc(void **state)
{
    (void)state;
    read_pixels_vs_soft("gl-no-s3tc");
}

/* The DXT formats are advertised whether or not S3TC is used. */
static void test_dxt_caps_without_s3tc(void **state)
{
    (void)state;
    static const uint32_t caps[] = {
        VGT_SVGA3D_DEVCAP_SURFACEFMT_DXT1, VGT_SVGA3D_DEVCAP_SURFACEFMT_DXT2,
        VGT_SVGA3D_DEVCAP_SURFACEFMT_DXT3, VGT_SVGA3D_DEVCAP_SURFACEFMT_DXT4,
        VGT_SVGA3D_DEVCAP_SURFACEFMT_DXT5};
    vgt_backend_caps with, without;
    vgt_backend be;
    scene_backend_gl(&be);
    memset(&with, 0, sizeof(with));
    be.ops->get_caps(be.self, &with);
    vgt_backend_destroy(&be);
    backend_no_s3tc(&be);
    memset(&without, 0, sizeof(without));
    be.ops->get_caps(be.self, &without);
    vgt_backend_destroy(&be);
    for (size_t i = 0; i < sizeof(caps) / sizeof(caps[0]); i++) {
        assert_true(without.devcap_valid[caps[i]]);
        assert_true(without.devcap[caps[i]] & VGT_SVGA3D_FORMAT_OP_TEXTURE);
        assert_true(without.devcap[caps[i]] & VGT_SVGA3D_FORMAT_OP_CUBETEXTURE);
        assert_int_equal(without.devcap[caps[i]], with.devcap[caps[i]]);
    }
}

/* VGT_GL_NO_S3TC=1 forces the CPU decode; "0" (or unset) does not. */
static void test_no_s3tc_environment(void **state)
{
    (void)state;
    const char *old = getenv("VGT_GL_NO_S3TC");
    char *saved = old ? strdup(old) : NULL;
    vgt_backend be;
    vgt_gl_info info;
    setenv("VGT_GL_NO_S3TC", "1", 1);
    scene_backend_gl(&be);
    assert_int_equal(vgt_backend_gl_info(&be, &info), VGT_OK);
    assert_false(info.s3tc);
    uint32_t n = 0;
    round_trip(&be, VGT_SVGA3D_DXT5, 16, 16, 1, 1, 1, &n);
    assert_int_equal(n, 1);
    assert_true(blocks_decoded(&be) > 0);
    vgt_backend_destroy(&be);
    setenv("VGT_GL_NO_S3TC", "0", 1);
    scene_backend_gl(&be);
    assert_int_equal(vgt_backend_gl_info(&be, &info), VGT_OK);
    bool native = info.s3tc;
    print_message("VGT_GL_NO_S3TC=0: S3TC %s\n", native ? "used" : "absent from the driver");
    round_trip(&be, VGT_SVGA3D_DXT5, 16, 16, 1, 1, 1, &n);
    assert_int_equal(n, 2);
    if (native) {
        assert_int_equal(blocks_decoded(&be), 0);
    }
    vgt_backend_destroy(&be);
    if (saved) {
        setenv("VGT_GL_NO_S3TC", saved, 1);
        free(saved);
    } else {
        unsetenv("VGT_GL_NO_S3TC");
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_format_round_trips),
        cmocka_unit_test(test_cube_and_volume),
        cmocka_unit_test(test_read_pixels_matches_soft),
        cmocka_unit_test(test_dxt_round_trip_without_s3tc),
        cmocka_unit_test(test_read_pixels_matches_soft_without_s3tc),
        cmocka_unit_test(test_dxt_caps_without_s3tc),
        cmocka_unit_test(test_no_s3tc_environment),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
