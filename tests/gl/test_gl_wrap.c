/* RS WRAP0..7 (Direct3D 9's D3DRS_WRAPn, cylindrical texture wrapping) on
 * the gl backend and the soft reference: a full-screen quad whose u runs
 * 0.9 -> 0.1 from left to right and whose v runs 0.1 -> 0.9 from top to
 * bottom, point sampled from an 8 x 8 texture of distinct texels, so the
 * texel drawn at a pixel tells which way the coordinate was interpolated. */
#include "gl_test_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define W 64u
#define H 64u

static uint32_t texel(uint32_t x, uint32_t y)
{
    static const uint32_t pal[8] = {0xffff0000u, 0xff00ff00u, 0xff0000ffu, 0xffffff00u,
                                    0xff00ffffu, 0xffff00ffu, 0xffffffffu, 0xff404040u};
    return pal[(x + 3 * y) & 7] ^ ((x * 37 + y * 11) & 0x3f);
}

static vgt_backend_surface *texture8(scene *s)
{
    vgt_backend_surface *t =
        scene_define(s, VGT_SVGA3D_A8R8G8B8, VGT_SVGA3D_SURFACE_HINT_TEXTURE, 8, 8, 1, 1, 1);
    uint32_t px[64];
    for (uint32_t y = 0; y < 8; y++) {
        for (uint32_t x = 0; x < 8; x++) {
            vgt_store_le32(&px[y * 8 + x], texel(x, y));
        }
    }
    scene_upload(s, t, 0, 0, px);
    return t;
}

/* The quad of the file's comment with the texture on stage 0 (coordinate
 * set 0), point sampled, address WRAP. */
static void seam_quad(scene *s)
{
    tvert v[6];
    quad(v, -1.0f, -1.0f, 1.0f, 1.0f, 0.5f, 0xffffffffu);
    for (int i = 0; i < 6; i++) {
        v[i].u = v[i].u > 0.5f ? 0.1f : 0.9f;
        v[i].v = v[i].v > 0.5f ? 0.9f : 0.1f;
    }
    scene_tverts(s, v, 6);
    vgt_backend_surface *t = texture8(s);
    s->st.z_enable = false;
    s->st.stages[0].texture = (vgt_backend_view){t, 0, 0, VGT_SVGA3D_A8R8G8B8, {8, 8, 1}};
    s->st.stages[0].texture_faces = 1;
    s->st.stages[0].texture_mips = 1;
    scene_clear(s, VGT_SVGA3D_CLEAR_COLOR, 0xff000000u, 1.0f, 0);
}

/* Until the backends draw it: a draw with WRAPn set is refused by both,
 * naming the context, n and the value, and nothing is drawn. */
static void refused(const char *kind)
{
    scene s;
    scene_init(&s, kind, W, H, VGT_SVGA3D_A8R8G8B8, 0);
    seam_quad(&s);
    s.st.wrap[3] = 0x5u;
    vgt_error err = {0};
    assert_int_equal(scene_draw_rc(&s, VGT_SVGA3D_PRIMITIVE_TRIANGLELIST, 2, 0, 0, 0, &err),
                     VGT_E_UNSUPPORTED);
    assert_non_null(strstr(err.message, "context 1: RS WRAP3 = 0x5 (cylindrical texture "
                                        "wrapping) is not supported"));
    vgt_image im;
    scene_read(&s, &im);
    assert_int_equal(vgt_load_le32(im.pixels + (20 * W + 20) * 4), 0xff000000u);
    vgt_image_free(&im);
    scene_fini(&s);
}

static void test_wrap_refused(void **state)
{
    (void)state;
    refused("soft");
    refused("gl");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wrap_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
