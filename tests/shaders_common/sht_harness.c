/* sht_harness.c - see sht_harness.h. */
#include "sht_harness.h"

#include <dlfcn.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GMR_SIZE     (4u << 20)
#define OFF_UPLOAD   0u
#define OFF_READBACK (2u << 20)

static vgt_status fm_access(sht_fx *f, bool write, uint32_t gmr, uint32_t off, void *buf,
                            uint32_t len, vgt_error *err)
{
    if (gmr != 1) {
        return vgt_error_set(err, VGT_E_NOTFOUND, "GMR %u is not defined", gmr);
    }
    if (!vgt_range_inside(off, len, GMR_SIZE)) {
        return vgt_error_set(err, VGT_E_RANGE, "GMR %u: %u bytes at %u are outside", gmr, len, off);
    }
    if (write) {
        memcpy(f->gmr + off, buf, len);
    } else {
        memcpy(buf, f->gmr + off, len);
    }
    return VGT_OK;
}

static vgt_status fm_read(void *ctx, uint32_t gmr, uint32_t off, void *dst, uint32_t len,
                          vgt_error *err)
{
    return fm_access(ctx, false, gmr, off, dst, len, err);
}

static vgt_status fm_write(void *ctx, uint32_t gmr, uint32_t off, const void *src, uint32_t len,
                           vgt_error *err)
{
    return fm_access(ctx, true, gmr, off, (void *)src, len, err);
}

static const sht_caps caps_soft = {
    .backend = VGT_BACKEND_SOFT,
    .name = "soft",
    .fuzz_iterations_env = "VGT_SOFTSHADER_FUZZ_ITERATIONS",
    .fuzz_seed_env = "VGT_SOFTSHADER_FUZZ_SEED",
    .golden_own = true,
    .soft_threads = true,
};

static const sht_caps caps_gl = {
    .backend = VGT_BACKEND_GL,
    .name = "gl",
    .ops_vs_passthrough = true,
    .tex_uv_nudge = 1.0f / 64.0f,
    .interp_tol = 1e-6f,
    .malformed_is_invalid = true,
    .fuzz_iterations_env = "VGT_GLSHADER_FUZZ_ITERATIONS",
    .fuzz_seed_env = "VGT_GLSHADER_FUZZ_SEED",
    /* docs/gl.md: a channel may differ by 2, fewer than 0.1% of the pixels
     * beyond; the procedural checkerboards (frc + cmp of interpolated
     * coordinates) flip a texel wherever gl's coordinate is an ulp away from
     * soft's on a square's edge: 1% there */
    .golden_delta = 2,
    .golden_pixels = 0.001,
    .golden_pixels_checker = 0.01,
};

const sht_caps *sht_caps_of(vgt_backend_kind kind)
{
    return kind == VGT_BACKEND_GL ? &caps_gl : &caps_soft;
}

/* Keeps Mesa's shared objects mapped until exit so lsan.supp can name
 * their allocations (as tests/gl/gl_test_util.c does). */
static void pin_mesa(void)
{
    FILE *f = fopen("/proc/self/maps", "r");
    char line[1024];
    while (f && fgets(line, sizeof(line), f)) {
        char *path = strchr(line, '/');
        if (!path || !strstr(path, ".so")) {
            continue;
        }
        path[strcspn(path, "\n")] = '\0';
        void *h = dlopen(path, RTLD_NOW | RTLD_NOLOAD | RTLD_NODELETE);
        (void)h;
    }
    if (f) {
        fclose(f);
    }
}

int sht_setup_backend(void **state, vgt_backend_kind kind)
{
    sht_fx *f = calloc(1, sizeof(*f));
    f->gmr = calloc(1, GMR_SIZE);
    vgt_executor_config cfg = {
        .mem = {.ctx = f, .read = fm_read, .write = fm_write}, .enable_3d = true, .backend = kind};
    vgt_error err = {0};
    if (vgt_executor_create(&cfg, &f->ex, &err) != VGT_OK) {
        fprintf(stderr, "executor: %s\n", err.message);
        return -1;
    }
    if (kind == VGT_BACKEND_GL) {
        pin_mesa();
    }
    *state = f;
    return 0;
}

int sht_teardown(void **state)
{
    sht_fx *f = *state;
    vgt_executor_destroy(f->ex);
    free(f->gmr);
    free(f);
    return 0;
}

vgt_status sht_cmd(sht_fx *f, uint32_t id, const uint32_t *body, uint32_t n, vgt_error *err)
{
    uint32_t *words = malloc(((size_t)n + 2) * 4);
    assert_non_null(words);
    words[0] = id;
    words[1] = n * 4u;
    if (n) {
        memcpy(words + 2, body, (size_t)n * 4);
    }
    vgt_cmd cmd;
    vgt_status st = vgt_cmd_decode(words, n + 2u, &cmd, err);
    if (st != VGT_OK) {
        free(words);
        return st;
    }
    vgt_exec_result r;
    st = vgt_executor_execute(f->ex, &cmd, &r, err);
    free(words);
    return st;
}

void sht_ok(sht_fx *f, uint32_t id, const uint32_t *body, uint32_t n)
{
    vgt_error err = {0};
    if (sht_cmd(f, id, body, n, &err) != VGT_OK) {
        fail_msg("%s: %s", vgt_cmd_name(id), err.message);
    }
}

void sht_define_surface(sht_fx *f, uint32_t sid, uint32_t format, uint32_t w, uint32_t h,
                        uint32_t mips)
{
    sht_define_surface3(f, sid, format, 0, w, h, 1, mips);
}

void sht_define_surface3(sht_fx *f, uint32_t sid, uint32_t format, uint32_t flags, uint32_t w,
                         uint32_t h, uint32_t d, uint32_t mips)
{
    uint32_t faces = flags & VGT_SVGA3D_SURFACE_CUBEMAP ? 6u : 1u;
    uint32_t b[9 + 3 * 16 * 6];
    uint32_t n = 0;
    assert_true(mips >= 1 && mips <= 16);
    b[n++] = sid;
    b[n++] = flags;
    b[n++] = format;
    for (uint32_t i = 0; i < 6; i++) {
        b[n++] = i < faces ? mips : 0;
    }
    for (uint32_t i = 0; i < faces; i++) {
        for (uint32_t m = 0; m < mips; m++) {
            b[n++] = w >> m ? w >> m : 1;
            b[n++] = h >> m ? h >> m : 1;
            b[n++] = d >> m ? d >> m : 1;
        }
    }
    sht_ok(f, VGT_SVGA3D_CMD_SURFACE_DEFINE, b, n);
}

static vgt_status dma(sht_fx *f, uint32_t sid, uint32_t face, uint32_t mip, uint32_t transfer,
                      uint32_t off, uint32_t pitch, uint32_t w, uint32_t h, uint32_t d,
                      vgt_error *err)
{
    uint32_t b[] = {1, off, pitch, sid, face, mip, transfer, 0, 0, 0, w, h, d, 0, 0, 0};
    return sht_cmd(f, VGT_SVGA3D_CMD_SURFACE_DMA, b, sizeof(b) / 4, err);
}

void sht_upload(sht_fx *f, uint32_t sid, uint32_t mip, const void *data, uint32_t pitch, uint32_t w,
                uint32_t h)
{
    sht_upload3(f, sid, 0, mip, data, pitch, w, h, 1);
}

void sht_upload3(sht_fx *f, uint32_t sid, uint32_t face, uint32_t mip, const void *data,
                 uint32_t pitch, uint32_t w, uint32_t h, uint32_t d)
{
    assert_true((size_t)pitch * h * d <= OFF_READBACK - OFF_UPLOAD);
    memcpy(f->gmr + OFF_UPLOAD, data, (size_t)pitch * h * d);
    vgt_error err = {0};
    if (dma(f, sid, face, mip, VGT_SVGA3D_WRITE_HOST_VRAM, OFF_UPLOAD, pitch, w, h, d, &err)) {
        fail_msg("upload: %s", err.message);
    }
}

const uint8_t *sht_download(sht_fx *f, uint32_t sid, uint32_t mip, uint32_t bpp, uint32_t w,
                            uint32_t h)
{
    vgt_error err = {0};
    memset(f->gmr + OFF_READBACK, 0xAB, (size_t)w * h * bpp);
    if (dma(f, sid, 0, mip, VGT_SVGA3D_READ_HOST_VRAM, OFF_READBACK, w * bpp, w, h, 1, &err)) {
        fail_msg("download: %s", err.message);
    }
    return f->gmr + OFF_READBACK;
}

void sht_rs(sht_fx *f, uint32_t state, uint32_t value)
{
    uint32_t b[] = {SHT_CID, state, value};
    sht_ok(f, VGT_SVGA3D_CMD_SETRENDERSTATE, b, 3);
}

void sht_ts(sht_fx *f, uint32_t stage, uint32_t name, uint32_t value)
{
    uint32_t b[] = {SHT_CID, stage, name, value};
    sht_ok(f, VGT_SVGA3D_CMD_SETTEXTURESTATE, b, 4);
}

void sht_set_rt(sht_fx *f, uint32_t type, uint32_t sid)
{
    uint32_t b[] = {SHT_CID, type, sid, 0, 0};
    sht_ok(f, VGT_SVGA3D_CMD_SETRENDERTARGET, b, 5);
}

void sht_clear(sht_fx *f, uint32_t flags, uint32_t color, float depth)
{
    uint32_t d;
    memcpy(&d, &depth, 4);
    uint32_t b[] = {SHT_CID, flags, color, d, 0};
    sht_ok(f, VGT_SVGA3D_CMD_CLEAR, b, 5);
}

void sht_transform(sht_fx *f, uint32_t type, const float m[16])
{
    uint32_t b[18];
    b[0] = SHT_CID;
    b[1] = type;
    memcpy(b + 2, m, 64);
    sht_ok(f, VGT_SVGA3D_CMD_SETTRANSFORM, b, 18);
}

static void scene_common(sht_fx *f, uint32_t rt, uint32_t w, uint32_t h)
{
    sht_define_surface(f, SHT_SID_DEPTH, VGT_SVGA3D_Z_D24S8, w, h, 1);
    sht_define_surface(f, SHT_SID_VB, VGT_SVGA3D_BUFFER, 1u << 20, 1, 1);
    sht_define_surface(f, SHT_SID_IB, VGT_SVGA3D_BUFFER, 65536, 1, 1);
    uint32_t c = SHT_CID;
    sht_ok(f, VGT_SVGA3D_CMD_CONTEXT_DEFINE, &c, 1);
    sht_set_rt(f, VGT_SVGA3D_RT_COLOR0, rt);
    sht_set_rt(f, VGT_SVGA3D_RT_DEPTH, SHT_SID_DEPTH);
    sht_rs(f, VGT_SVGA3D_RS_LIGHTINGENABLE, 0);
    sht_rs(f, VGT_SVGA3D_RS_CULLMODE, VGT_SVGA3D_FACE_NONE);
    sht_rs(f, VGT_SVGA3D_RS_ZENABLE, 0);
    f->rt_w = w;
    f->rt_h = h;
    sht_clear(f, VGT_SVGA3D_CLEAR_COLOR | VGT_SVGA3D_CLEAR_DEPTH, 0, 1.0f);
}

void sht_scene_float(sht_fx *f)
{
    sht_define_surface(f, SHT_SID_RT, VGT_SVGA3D_ARGB_S23E8, SHT_W, SHT_H, 1);
    scene_common(f, SHT_SID_RT, SHT_W, SHT_H);
}

void sht_scene_rgba8(sht_fx *f, uint32_t w, uint32_t h)
{
    sht_define_surface(f, SHT_SID_RT8, VGT_SVGA3D_A8R8G8B8, w, h, 1);
    scene_common(f, SHT_SID_RT8, w, h);
}

vgt_status sht_define_words(sht_fx *f, uint32_t type, uint32_t shid, const uint32_t *words,
                            uint32_t n, vgt_error *err)
{
    uint32_t *b = malloc(((size_t)n + 3) * 4);
    assert_non_null(b);
    b[0] = SHT_CID;
    b[1] = shid;
    b[2] = type;
    if (n) {
        memcpy(b + 3, words, (size_t)n * 4);
    }
    vgt_status st = sht_cmd(f, VGT_SVGA3D_CMD_SHADER_DEFINE, b, n + 3, err);
    free(b);
    return st;
}

vgt_status sht_define_asm(sht_fx *f, uint32_t type, uint32_t shid, const char *text, vgt_error *err)
{
    uint32_t *words = NULL;
    size_t n = 0;
    vgt_shader_diag diag;
    vgt_error aerr = {0};
    if (vgt_shader_assemble(text, strlen(text), &words, &n, &diag, &aerr) != VGT_OK) {
        fail_msg("assembling:\n%s\n%s", text, aerr.message);
    }
    vgt_status st = sht_define_words(f, type, shid, words, (uint32_t)n, err);
    free(words);
    return st;
}

void sht_bind(sht_fx *f, uint32_t type, uint32_t shid)
{
    uint32_t b[] = {SHT_CID, type, shid};
    sht_ok(f, VGT_SVGA3D_CMD_SET_SHADER, b, 3);
}

void sht_constf(sht_fx *f, uint32_t type, uint32_t reg, float x, float y, float z, float w)
{
    float v[4] = {x, y, z, w};
    uint32_t b[8] = {SHT_CID, reg, type, VGT_SVGA3D_CONST_TYPE_FLOAT};
    memcpy(b + 4, v, 16);
    sht_ok(f, VGT_SVGA3D_CMD_SET_SHADER_CONST, b, 8);
}

void sht_consti(sht_fx *f, uint32_t type, uint32_t reg, int32_t x, int32_t y, int32_t z, int32_t w)
{
    uint32_t b[8] = {SHT_CID,     reg,         type,        VGT_SVGA3D_CONST_TYPE_INT,
                     (uint32_t)x, (uint32_t)y, (uint32_t)z, (uint32_t)w};
    sht_ok(f, VGT_SVGA3D_CMD_SET_SHADER_CONST, b, 8);
}

void sht_constb(sht_fx *f, uint32_t type, uint32_t reg, bool v)
{
    uint32_t b[8] = {SHT_CID, reg, type, VGT_SVGA3D_CONST_TYPE_BOOL, v ? 1u : 0u, 0, 0, 0};
    sht_ok(f, VGT_SVGA3D_CMD_SET_SHADER_CONST, b, 8);
}

vgt_status sht_draw(sht_fx *f, const sht_vtx *v, uint32_t nverts, uint32_t prim, uint32_t prims,
                    uint32_t pos_usage, vgt_error *err)
{
    sht_upload(f, SHT_SID_VB, 0, v, nverts * (uint32_t)sizeof(*v), nverts * (uint32_t)sizeof(*v),
               1);
    uint32_t b[3 + 4 * 9 + 7];
    uint32_t n = 0;
    b[n++] = SHT_CID;
    b[n++] = 4;
    b[n++] = 1;
    const uint32_t decl[4][4] = {
        {VGT_SVGA3D_DECLTYPE_FLOAT4, pos_usage, 0, 0},
        {VGT_SVGA3D_DECLTYPE_D3DCOLOR, VGT_SVGA3D_DECLUSAGE_COLOR, 0, 16},
        {VGT_SVGA3D_DECLTYPE_FLOAT4, VGT_SVGA3D_DECLUSAGE_TEXCOORD, 0, 20},
        {VGT_SVGA3D_DECLTYPE_FLOAT3, VGT_SVGA3D_DECLUSAGE_NORMAL, 0, 36},
    };
    for (int k = 0; k < 4; k++) {
        uint32_t d[9] = {decl[k][0],      0, decl[k][1], decl[k][2], SHT_SID_VB, decl[k][3],
                         sizeof(sht_vtx), 0, 0};
        memcpy(b + n, d, sizeof(d));
        n += 9;
    }
    uint32_t r[7] = {prim, prims, VGT_SVGA3D_INVALID_ID, 0, 0, 0, 0};
    memcpy(b + n, r, sizeof(r));
    n += 7;
    return sht_cmd(f, VGT_SVGA3D_CMD_DRAW_PRIMITIVES, b, n, err);
}

float sht_uv_nudge;

vgt_status sht_fullscreen(sht_fx *f, float s, float t, uint32_t color, vgt_error *err)
{
    const float a = sht_uv_nudge, b = 1.0f + sht_uv_nudge;
    sht_vtx v[4] = {
        {-1, 1, 0.5f, 1, color, a, a, s, t, 0, 0, 1},
        {1, 1, 0.5f, 1, color, b, a, s, t, 0, 0, 1},
        {-1, -1, 0.5f, 1, color, a, b, s, t, 0, 0, 1},
        {1, -1, 0.5f, 1, color, b, b, s, t, 0, 0, 1},
    };
    return sht_draw(f, v, 4, VGT_SVGA3D_PRIMITIVE_TRIANGLESTRIP, 2, VGT_SVGA3D_DECLUSAGE_POSITION,
                    err);
}

static float rt_float[SHT_W * SHT_H * 4];

void sht_read_float(sht_fx *f)
{
    const uint8_t *p = sht_download(f, SHT_SID_RT, 0, 16, SHT_W, SHT_H);
    memcpy(rt_float, p, sizeof(rt_float));
}

void sht_pixel(const sht_fx *f, uint32_t x, uint32_t y, float out[4])
{
    (void)f;
    memcpy(out, &rt_float[(y * SHT_W + x) * 4], 16);
}

void sht_assert4(const char *what, const float got[4], const float want[4], float tol)
{
    for (int c = 0; c < 4; c++) {
        bool ok;
        if (isnan(want[c])) {
            ok = isnan(got[c]);
        } else if (isinf(want[c]) || tol == 0.0f) {
            ok = got[c] == want[c];
        } else {
            ok = fabsf(got[c] - want[c]) <= tol * (1.0f + fabsf(want[c]));
        }
        if (!ok) {
            fail_msg("%s: got (%.9g, %.9g, %.9g, %.9g), want (%.9g, %.9g, %.9g, %.9g)", what,
                     (double)got[0], (double)got[1], (double)got[2], (double)got[3],
                     (double)want[0], (double)want[1], (double)want[2], (double)want[3]);
        }
    }
}

const char *const sht_vs30_pass = "vs_3_0\n"
                                  "dcl_position v0\n"
                                  "dcl_texcoord v1\n"
                                  "dcl_color v2\n"
                                  "dcl_position o0\n"
                                  "dcl_texcoord o1\n"
                                  "dcl_color o2\n"
                                  "mov o0, v0\n"
                                  "mov o1, v1\n"
                                  "mov o2, v2\n";

const char *const sht_vs20_pass = "vs_2_0\n"
                                  "dcl_position v0\n"
                                  "dcl_texcoord v1\n"
                                  "dcl_color v2\n"
                                  "mov oPos, v0\n"
                                  "mov oT0, v1\n"
                                  "mov oD0, v2\n";

vgt_status sht_draw_decls(sht_fx *f, const sht_decl *d, uint32_t nd, const uint32_t *div,
                          uint32_t ndiv, uint32_t prim, uint32_t prims, bool indexed, int32_t bias,
                          vgt_error *err)
{
    uint32_t b[3 + 8 * 9 + 7 + 8];
    uint32_t n = 0;
    assert_true(nd <= 8 && ndiv <= 8);
    b[n++] = SHT_CID;
    b[n++] = nd;
    b[n++] = 1;
    for (uint32_t k = 0; k < nd; k++) {
        uint32_t w[9] = {d[k].type,   0,           d[k].usage, d[k].index, SHT_SID_VB,
                         d[k].offset, d[k].stride, 0,          0};
        memcpy(b + n, w, sizeof(w));
        n += 9;
    }
    uint32_t r[7] = {prim, prims, VGT_SVGA3D_INVALID_ID, 0, 0, 0, (uint32_t)bias};
    if (indexed) {
        r[2] = SHT_SID_IB;
        r[4] = r[5] = 2;
    }
    memcpy(b + n, r, sizeof(r));
    n += 7;
    for (uint32_t k = 0; k < ndiv; k++) {
        b[n++] = div[k];
    }
    return sht_cmd(f, VGT_SVGA3D_CMD_DRAW_PRIMITIVES, b, n, err);
}

void sht_draw_decls_ok(sht_fx *f, const sht_decl *d, uint32_t nd, const uint32_t *div,
                       uint32_t ndiv, uint32_t prim, uint32_t prims, bool indexed, int32_t bias)
{
    vgt_error err = {0};
    if (sht_draw_decls(f, d, nd, div, ndiv, prim, prims, indexed, bias, &err) != VGT_OK) {
        fail_msg("draw: %s", err.message);
    }
}

void sht_against_soft(sht_fx *gl, void (*fn)(sht_fx *f), const char *name, uint32_t w, uint32_t h,
                      uint32_t min_drawn)
{
    void *st = NULL;
    assert_int_equal(sht_setup_backend(&st, VGT_BACKEND_SOFT), 0);
    sht_fx *soft = st;
    fn(soft);
    size_t n = (size_t)w * h;
    uint32_t *ref = malloc(n * 4u);
    assert_non_null(ref);
    memcpy(ref, sht_download(soft, SHT_SID_RT8, 0, 4, w, h), n * 4u);
    sht_teardown(&st);
    fn(gl);
    const uint8_t *img = sht_download(gl, SHT_SID_RT8, 0, 4, w, h);
    uint32_t max = 0, drawn = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t g;
        memcpy(&g, img + i * 4u, 4);
        for (int c = 0; c < 32; c += 8) {
            int32_t d = (int32_t)((g >> c) & 0xFF) - (int32_t)((ref[i] >> c) & 0xFF);
            uint32_t a = (uint32_t)(d < 0 ? -d : d);
            max = a > max ? a : max;
        }
        drawn += (ref[i] & 0xFFFFFF) != 0;
    }
    free(ref);
    printf("%s: gl against soft: max channel delta %u, %u pixels drawn\n", name, max, drawn);
    assert_true(drawn >= min_drawn); /* the scene drew */
    assert_true(max <= 2u);          /* docs/gl.md's tolerance */
}
