/* soft_test_util.c - helpers shared by the soft renderer's tests. */
#include "soft_test_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "vgt_shader.h"

void tscene_init(tscene *s, uint32_t w, uint32_t h, bool depth, uint32_t threads)
{
    vgt_error err = {0};
    memset(s, 0, sizeof(*s));
    s->w = w;
    s->h = h;
    assert_int_equal(vgt_soft_device_create(threads, &s->dev, &err), VGT_OK);
    vgt_soft_surface_desc d = {VGT_SVGA3D_A8R8G8B8, w, h, 1, 1, 1};
    assert_int_equal(vgt_soft_surface_create(&d, &s->rt, &err), VGT_OK);
    vgt_soft_draw_state_defaults(&s->st);
    s->st.color_target.surface = s->rt;
    if (depth) {
        d.format = VGT_SVGA3D_Z_D24S8;
        assert_int_equal(vgt_soft_surface_create(&d, &s->ds, &err), VGT_OK);
        s->st.depth_target.surface = s->ds;
    } else {
        s->st.z_enable = false;
    }
    s->st.viewport = (vgt_soft_rect){0, 0, w, h};
    s->st.lighting = false;
    s->st.cull_face = VGT_SVGA3D_FACE_NONE;
    s->st.stages[0].color_op = VGT_SVGA3D_TC_SELECTARG1;
    s->st.stages[0].color_arg1 = VGT_SVGA3D_TA_DIFFUSE;
    s->st.stages[0].alpha_arg1 = VGT_SVGA3D_TA_DIFFUSE;
    vgt_soft_view cv = {s->rt, 0, 0}, dv = {s->ds, 0, 0};
    assert_int_equal(
        vgt_soft_clear(s->dev, &cv, depth ? &dv : NULL,
                       VGT_SVGA3D_CLEAR_COLOR |
                           (depth ? VGT_SVGA3D_CLEAR_DEPTH | VGT_SVGA3D_CLEAR_STENCIL : 0),
                       0xff000000u, 1.0f, 0, NULL, 0, &err),
        VGT_OK);
}

void tscene_fini(tscene *s)
{
    vgt_soft_surface_destroy(s->rt);
    vgt_soft_surface_destroy(s->ds);
    vgt_soft_device_destroy(s->dev);
}

void tscene_clear(tscene *s)
{
    vgt_error err = {0};
    vgt_soft_view cv = {s->rt, 0, 0};
    assert_int_equal(vgt_soft_clear(s->dev, &cv, NULL, VGT_SVGA3D_CLEAR_COLOR, 0xff000000u, 1.0f, 0,
                                    NULL, 0, &err),
                     VGT_OK);
}

void tscene_use_tverts(tscene *s, const tvert *v, size_t count)
{
    const uint8_t *b = (const uint8_t *)v;
    size_t len = count * sizeof(tvert);
    uint32_t st = sizeof(tvert);
    s->st.element_count = 3;
    s->st.elements[0] = (vgt_soft_element){b,
                                           len,
                                           offsetof(tvert, x),
                                           st,
                                           VGT_SVGA3D_DECLTYPE_FLOAT3,
                                           VGT_SVGA3D_DECLUSAGE_POSITION,
                                           0,
                                           0,
                                           0};
    s->st.elements[1] = (vgt_soft_element){b,
                                           len,
                                           offsetof(tvert, color),
                                           st,
                                           VGT_SVGA3D_DECLTYPE_D3DCOLOR,
                                           VGT_SVGA3D_DECLUSAGE_COLOR,
                                           0,
                                           0,
                                           0};
    s->st.elements[2] = (vgt_soft_element){b,
                                           len,
                                           offsetof(tvert, u),
                                           st,
                                           VGT_SVGA3D_DECLTYPE_FLOAT2,
                                           VGT_SVGA3D_DECLUSAGE_TEXCOORD,
                                           0,
                                           0,
                                           0};
}

vgt_status tscene_draw_rc(tscene *s, uint32_t prim, uint32_t count, const void *indices,
                          size_t index_len, uint32_t index_size, vgt_soft_draw_stats *stats,
                          vgt_error *err)
{
    vgt_soft_draw_call c = {prim, count, indices, index_len, 0, index_size, 0};
    return vgt_soft_draw(s->dev, &s->st, &c, stats, err);
}

void tscene_draw(tscene *s, uint32_t prim, uint32_t count)
{
    vgt_error err = {0};
    vgt_status rc = tscene_draw_rc(s, prim, count, NULL, 0, 0, NULL, &err);
    if (rc) {
        fail_msg("draw failed: %s", err.message);
    }
}

void tscene_cell(tscene *s, uint32_t n, uint32_t cx, uint32_t cy)
{
    uint32_t cw = s->w / n, ch = s->h / n;
    s->st.viewport = (vgt_soft_rect){(int32_t)(cx * cw), (int32_t)(cy * ch), cw, ch};
}

uint32_t tscene_pixel(const tscene *s, uint32_t x, uint32_t y)
{
    uint32_t px = 0;
    vgt_soft_box b = {x, y, 0, 1, 1, 1};
    vgt_error err = {0};
    assert_int_equal(vgt_soft_surface_download(s->rt, 0, 0, &b, &px, 4, 0, 0, &err), VGT_OK);
    return px;
}

void tscene_check_golden(const tscene *s, const char *name)
{
    vgt_error err = {0};
    vgt_image img;
    vgt_soft_view v = {s->rt, 0, 0};
    assert_int_equal(vgt_soft_surface_read_image(&v, &img, &err), VGT_OK);
    char path[1024];
    mkdir(VGT_BINARY_DIR "/soft-out", 0777);
    snprintf(path, sizeof(path), "%s/soft-out/%s.png", VGT_BINARY_DIR, name);
    assert_int_equal(vgt_image_write_png(&img, path, false, &err), VGT_OK);
    snprintf(path, sizeof(path), "%s/golden/soft/%s.png", VGT_TEST_DATA_DIR, name);
    const char *upd = getenv("VGT_UPDATE_GOLDEN");
    if (upd && strcmp(upd, "1") == 0) {
        assert_int_equal(vgt_image_write_png(&img, path, false, &err), VGT_OK);
        vgt_image_free(&img);
        return;
    }
    vgt_image gold;
    if (vgt_image_read_png(&gold, path, &err) != VGT_OK) {
        vgt_image_free(&img);
        fail_msg("golden %s: %s (regenerate with VGT_UPDATE_GOLDEN=1)", name, err.message);
    }
    vgt_image_diff diff;
    assert_int_equal(vgt_image_compare(&img, &gold, 0, false, &diff, &err), VGT_OK);
    vgt_image_free(&img);
    vgt_image_free(&gold);
    if (diff.pixels_over) {
        fail_msg("golden %s: %llu of %llu pixels differ (max delta %u); see "
                 "soft-out/%s.png in the build dir",
                 name, (unsigned long long)diff.pixels_over, (unsigned long long)diff.pixels_total,
                 diff.max_channel_delta, name);
    }
}

vgt_soft_surface *make_texture(uint32_t w, uint32_t h, uint32_t mips,
                               uint32_t (*texel)(uint32_t x, uint32_t y, uint32_t mip))
{
    vgt_error err = {0};
    vgt_soft_surface *t = NULL;
    vgt_soft_surface_desc d = {VGT_SVGA3D_A8R8G8B8, w, h, 1, 1, mips};
    assert_int_equal(vgt_soft_surface_create(&d, &t, &err), VGT_OK);
    for (uint32_t m = 0; m < mips; m++) {
        uint32_t lw, lh;
        assert_int_equal(vgt_soft_surface_level_size(t, 0, m, &lw, &lh, NULL, &err), VGT_OK);
        uint32_t *px = malloc((size_t)lw * lh * 4);
        for (uint32_t y = 0; y < lh; y++) {
            for (uint32_t x = 0; x < lw; x++) {
                px[y * lw + x] = texel(x, y, m);
            }
        }
        vgt_soft_box b = {0, 0, 0, lw, lh, 1};
        assert_int_equal(vgt_soft_surface_upload(t, 0, m, &b, px, (size_t)lw * lh * 4, 0, 0, &err),
                         VGT_OK);
        free(px);
    }
    return t;
}

void quad(tvert *o, float x0, float y0, float x1, float y1, float z, uint32_t color)
{
    tvert tl = {x0, y1, z, color, 0, 0}, tr = {x1, y1, z, color, 1, 0};
    tvert br = {x1, y0, z, color, 1, 1}, bl = {x0, y0, z, color, 0, 1};
    o[0] = tl;
    o[1] = tr;
    o[2] = br;
    o[3] = tl;
    o[4] = br;
    o[5] = bl;
}

vgt_soft_shader *test_shader(uint32_t type, const char *text)
{
    uint32_t *words = NULL;
    size_t n = 0;
    vgt_error err = {0};
    assert_int_equal(vgt_shader_assemble(text, strlen(text), &words, &n, NULL, &err), VGT_OK);
    vgt_soft_shader *sh = NULL;
    assert_int_equal(vgt_soft_shader_create(type, words, n, &sh, &err), VGT_OK);
    free(words);
    return sh;
}
