/* test_soft_bump_exec.c - bump environment mapping on the soft backend
 * through the executor: the TS BUMPENVMAT / BUMPENVLSCALE / BUMPENVLOFFSET
 * a guest sets reach texbem and texbeml, and BUMPL8V8U8 stays refused,
 * named (docs/soft.md "Bump environment mapping"). */
#include "sht_harness.h"

#include <stdio.h>
#include <string.h>

#define PS       VGT_SVGA3D_SHADERTYPE_PS
#define SID_BUMP 7u

static uint32_t texel(uint32_t x, uint32_t y)
{
    return 0xff000000u | ((x * 64u) << 16) | ((y * 64u) << 8) | 0x10u;
}

static void tsf(sht_fx *f, uint32_t stage, uint32_t name, float v)
{
    uint32_t u;
    memcpy(&u, &v, 4);
    sht_ts(f, stage, name, u);
}

/* Stage 0: a 1x1 bump texture of `format`; stage 1: a 4x4 A8R8G8B8
 * texel(x, y), both point sampled and clamped, stage 1 reading set 0. */
static void textures(sht_fx *f, uint32_t format, const void *bump, uint32_t bpp)
{
    sht_scene_float(f);
    sht_define_surface(f, SID_BUMP, format, 1, 1, 1);
    sht_upload(f, SID_BUMP, 0, bump, bpp, 1, 1);
    sht_define_surface(f, SHT_SID_TEX, VGT_SVGA3D_A8R8G8B8, 4, 4, 1);
    uint32_t l0[16];
    for (uint32_t y = 0; y < 4; y++) {
        for (uint32_t x = 0; x < 4; x++) {
            l0[y * 4 + x] = texel(x, y);
        }
    }
    sht_upload(f, SHT_SID_TEX, 0, l0, 16, 4, 4);
    for (uint32_t s = 0; s < 2; s++) {
        sht_ts(f, s, VGT_SVGA3D_TS_BIND_TEXTURE, s ? SHT_SID_TEX : SID_BUMP);
        sht_ts(f, s, VGT_SVGA3D_TS_MAGFILTER, VGT_SVGA3D_TEX_FILTER_NEAREST);
        sht_ts(f, s, VGT_SVGA3D_TS_MINFILTER, VGT_SVGA3D_TEX_FILTER_NEAREST);
        sht_ts(f, s, VGT_SVGA3D_TS_ADDRESSU, VGT_SVGA3D_TEX_ADDRESS_CLAMP);
        sht_ts(f, s, VGT_SVGA3D_TS_ADDRESSV, VGT_SVGA3D_TEX_ADDRESS_CLAMP);
    }
    sht_ts(f, 1, VGT_SVGA3D_TS_TEXCOORDINDEX, 0);
}

static void draw(sht_fx *f, const char *ps)
{
    /* half a target pixel: pixel x reads u = (x + 0.5) / 8, a texel's
     * inside, never an edge where point sampling could go either way */
    sht_uv_nudge = 0.5f / SHT_W;
    vgt_error err = {0};
    if (sht_define_asm(f, PS, 1, ps, &err) != VGT_OK) {
        fail_msg("define: %s", err.message);
    }
    sht_bind(f, PS, 1);
    if (sht_fullscreen(f, 0, 0, 0xffffffffu, &err) != VGT_OK) {
        fail_msg("draw: %s", err.message);
    }
    sht_read_float(f);
}

static void expect(sht_fx *f, uint32_t x, uint32_t y, uint32_t c, float scale, const char *what)
{
    float got[4], want[4] = {(float)((c >> 16) & 0xff) / 255.0f * scale,
                             (float)((c >> 8) & 0xff) / 255.0f * scale,
                             (float)(c & 0xff) / 255.0f * scale, (float)(c >> 24) / 255.0f * scale};
    sht_pixel(f, x, y, got);
    char name[96];
    snprintf(name, sizeof(name), "%s at (%u, %u)", what, x, y);
    sht_assert4(name, got, want, 1e-6f);
}

/* V8U8 (du -1, dv 1), stage 1's MAT00 0.25 and MAT11 0.25: pixel (x, y) of
 * the 8x8 target reads (u - 0.25, v + 0.25), u = (x + 0.5) / 8. */
static void test_texbem_states(void **state)
{
    sht_fx *f = *state;
    const uint8_t bump[2] = {0x80, 0x7f};
    textures(f, VGT_SVGA3D_V8U8, bump, 2);
    tsf(f, 1, VGT_SVGA3D_TS_BUMPENVMAT00, 0.25f);
    tsf(f, 1, VGT_SVGA3D_TS_BUMPENVMAT11, 0.25f);
    tsf(f, 0, VGT_SVGA3D_TS_BUMPENVMAT00, 8.0f); /* not texbem t1's stage */
    draw(f, "ps_1_1\ntex t0\ntexbem t1, t0\nmov r0, t1\n");
    expect(f, 0, 0, texel(0, 1), 1.0f, "texbem"); /* u < 0: clamped */
    expect(f, 4, 2, texel(1, 2), 1.0f, "texbem"); /* (0.3125, 0.5625) */
    expect(f, 7, 7, texel(2, 3), 1.0f, "texbem"); /* (0.6875, 1.1875) */
    /* texbeml: times t0.b * LSCALE + LOFFSET (V8U8 reads b = 1) */
    tsf(f, 1, VGT_SVGA3D_TS_BUMPENVLSCALE, 0.5f);
    tsf(f, 1, VGT_SVGA3D_TS_BUMPENVLOFFSET, 0.25f);
    draw(f, "ps_1_1\ntex t0\ntexbeml t1, t0\nmov r0, t1\n");
    expect(f, 4, 2, texel(1, 2), 0.75f, "texbeml");
}

/* BUMPL8V8U8 has no Direct3D 9 format: sampling it fails, naming it. */
static void test_bumpl8v8u8_refused(void **state)
{
    sht_fx *f = *state;
    const uint8_t bump[3] = {0, 0, 0};
    textures(f, VGT_SVGA3D_BUMPL8V8U8, bump, 3);
    vgt_error err = {0};
    assert_int_equal(sht_define_asm(f, PS, 1, "ps_1_1\ntex t0\nmov r0, t0\n", &err), VGT_OK);
    sht_bind(f, PS, 1);
    assert_int_equal(sht_fullscreen(f, 0, 0, 0xffffffffu, &err), VGT_E_UNSUPPORTED);
    if (!strstr(err.message, "BUMPL8V8U8")) {
        fail_msg("message does not name the format: %s", err.message);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_texbem_states, sht_setup_soft, sht_teardown),
        cmocka_unit_test_setup_teardown(test_bumpl8v8u8_refused, sht_setup_soft, sht_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
