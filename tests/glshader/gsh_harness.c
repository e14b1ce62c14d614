/* gsh_harness.c - see gsh_harness.h. */
#include "gsh_harness.h"

#include <dlfcn.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GMR_SIZE     (4u << 20)
#define OFF_UPLOAD   0u
#define OFF_READBACK (2u << 20)

static vgt_status fm_access(gsh_fx *f, bool write, uint32_t gmr, uint32_t off, void *buf,
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

static int setup_kind(void **state, vgt_backend_kind kind)
{
    gsh_fx *f = calloc(1, sizeof(*f));
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

int gsh_setup(void **state)
{
    return setup_kind(state, VGT_BACKEND_GL);
}

int gsh_setup_soft(void **state)
{
    return setup_kind(state, VGT_BACKEND_SOFT);
}

int gsh_teardown(void **state)
{
    gsh_fx *f = *state;
    vgt_executor_destroy(f->ex);
    free(f->gmr);
    free(f);
    return 0;
}

vgt_status gsh_cmd(gsh_fx *f, uint32_t id, const uint32_t *body, uint32_t n, vgt_error *err)
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

void gsh_ok(gsh_fx *f, uint32_t id, const uint32_t *body, uint32_t n)
{
    vgt_error err = {0};
    if (gsh_cmd(f, id, body, n, &err) != VGT_OK) {
        fail_msg("%s: %s", vgt_cmd_name(id), err.message);
    }
}

void gsh_define_surface(gsh_fx *f, uint32_t sid, uint32_t format, uint32_t w, uint32_t h,
                        uint32_t mips)
{
    uint32_t b[9 + 3 * 16];
    uint32_t n = 0;
    b[n++] = sid;
    b[n++] = 0;
    b[n++] = format;
    b[n++] = mips;
    for (int i = 1; i < 6; i++) {
        b[n++] = 0;
    }
    for (uint32_t m = 0; m < mips; m++) {
        b[n++] = w >> m ? w >> m : 1;
        b[n++] = h >> m ? h >> m : 1;
        b[n++] = 1;
    }
    gsh_ok(f, VGT_SVGA3D_CMD_SURFACE_DEFINE, b, n);
}

static vgt_status dma(gsh_fx *f, uint32_t sid, uint32_t mip, uint32_t transfer, uint32_t off,
                      uint32_t pitch, uint32_t w, uint32_t h, vgt_error *err)
{
    uint32_t b[] = {1, off, pitch, sid, 0, mip, transfer, 0, 0, 0, w, h, 1, 0, 0, 0};
    return gsh_cmd(f, VGT_SVGA3D_CMD_SURFACE_DMA, b, sizeof(b) / 4, err);
}

void gsh_upload(gsh_fx *f, uint32_t sid, uint32_t mip, const void *data, uint32_t pitch, uint32_t w,
                uint32_t h)
{
    memcpy(f->gmr + OFF_UPLOAD, data, (size_t)pitch * h);
    vgt_error err = {0};
    if (dma(f, sid, mip, VGT_SVGA3D_WRITE_HOST_VRAM, OFF_UPLOAD, pitch, w, h, &err)) {
        fail_msg("upload: %s", err.message);
    }
}

const uint8_t *gsh_download(gsh_fx *f, uint32_t sid, uint32_t mip, uint32_t bpp, uint32_t w,
                            uint32_t h)
{
    vgt_error err = {0};
    memset(f->gmr + OFF_READBACK, 0xAB, (size_t)w * h * bpp);
    if (dma(f, sid, mip, VGT_SVGA3D_READ_HOST_VRAM, OFF_READBACK, w * bpp, w, h, &err)) {
        fail_msg("download: %s", err.message);
    }
    return f->gmr + OFF_READBACK;
}

void gsh_rs(gsh_fx *f, uint32_t state, uint32_t value)
{
    uint32_t b[] = {GSH_CID, state, value};
    gsh_ok(f, VGT_SVGA3D_CMD_SETRENDERSTATE, b, 3);
}

void gsh_ts(gsh_fx *f, uint32_t stage, uint32_t name, uint32_t value)
{
    uint32_t b[] = {GSH_CID, stage, name, value};
    gsh_ok(f, VGT_SVGA3D_CMD_SETTEXTURESTATE, b, 4);
}

void gsh_set_rt(gsh_fx *f, uint32_t type, uint32_t sid)
{
    uint32_t b[] = {GSH_CID, type, sid, 0, 0};
    gsh_ok(f, VGT_SVGA3D_CMD_SETRENDERTARGET, b, 5);
}

void gsh_clear(gsh_fx *f, uint32_t flags, uint32_t color, float depth)
{
    uint32_t d;
    memcpy(&d, &depth, 4);
    uint32_t b[] = {GSH_CID, flags, color, d, 0};
    gsh_ok(f, VGT_SVGA3D_CMD_CLEAR, b, 5);
}

void gsh_transform(gsh_fx *f, uint32_t type, const float m[16])
{
    uint32_t b[18];
    b[0] = GSH_CID;
    b[1] = type;
    memcpy(b + 2, m, 64);
    gsh_ok(f, VGT_SVGA3D_CMD_SETTRANSFORM, b, 18);
}

static void scene_common(gsh_fx *f, uint32_t rt, uint32_t w, uint32_t h)
{
    gsh_define_surface(f, GSH_SID_DEPTH, VGT_SVGA3D_Z_D24S8, w, h, 1);
    gsh_define_surface(f, GSH_SID_VB, VGT_SVGA3D_BUFFER, 1u << 20, 1, 1);
    gsh_define_surface(f, GSH_SID_IB, VGT_SVGA3D_BUFFER, 65536, 1, 1);
    uint32_t c = GSH_CID;
    gsh_ok(f, VGT_SVGA3D_CMD_CONTEXT_DEFINE, &c, 1);
    gsh_set_rt(f, VGT_SVGA3D_RT_COLOR0, rt);
    gsh_set_rt(f, VGT_SVGA3D_RT_DEPTH, GSH_SID_DEPTH);
    gsh_rs(f, VGT_SVGA3D_RS_LIGHTINGENABLE, 0);
    gsh_rs(f, VGT_SVGA3D_RS_CULLMODE, VGT_SVGA3D_FACE_NONE);
    gsh_rs(f, VGT_SVGA3D_RS_ZENABLE, 0);
    f->rt_w = w;
    f->rt_h = h;
    gsh_clear(f, VGT_SVGA3D_CLEAR_COLOR | VGT_SVGA3D_CLEAR_DEPTH, 0, 1.0f);
}

void gsh_scene_float(gsh_fx *f)
{
    gsh_define_surface(f, GSH_SID_RT, VGT_SVGA3D_ARGB_S23E8, GSH_W, GSH_H, 1);
    scene_common(f, GSH_SID_RT, GSH_W, GSH_H);
}

void gsh_scene_rgba8(gsh_fx *f, uint32_t w, uint32_t h)
{
    gsh_define_surface(f, GSH_SID_RT8, VGT_SVGA3D_A8R8G8B8, w, h, 1);
    scene_common(f, GSH_SID_RT8, w, h);
}

vgt_status gsh_define_words(gsh_fx *f, uint32_t type, uint32_t shid, const uint32_t *words,
                            uint32_t n, vgt_error *err)
{
    uint32_t *b = malloc(((size_t)n + 3) * 4);
    assert_non_null(b);
    b[0] = GSH_CID;
    b[1] = shid;
    b[2] = type;
    if (n) {
        memcpy(b + 3, words, (size_t)n * 4);
    }
    vgt_status st = gsh_cmd(f, VGT_SVGA3D_CMD_SHADER_DEFINE, b, n + 3, err);
    free(b);
    return st;
}

vgt_status gsh_define_asm(gsh_fx *f, uint32_t type, uint32_t shid, const char *text, vgt_error *err)
{
    uint32_t *words = NULL;
    size_t n = 0;
    vgt_shader_diag diag;
    vgt_error aerr = {0};
    if (vgt_shader_assemble(text, strlen(text), &words, &n, &diag, &aerr) != VGT_OK) {
        fail_msg("assembling:\n%s\n%s", text, aerr.message);
    }
    vgt_status st = gsh_define_words(f, type, shid, words, (uint32_t)n, err);
    free(words);
    return st;
}

void gsh_bind(gsh_fx *f, uint32_t type, uint32_t shid)
{
    uint32_t b[] = {GSH_CID, type, shid};
    gsh_ok(f, VGT_SVGA3D_CMD_SET_SHADER, b, 3);
}

void gsh_constf(gsh_fx *f, uint32_t type, uint32_t reg, float x, float y, float z, float w)
{
    float v[4] = {x, y, z, w};
    uint32_t b[8] = {GSH_CID, reg, type, VGT_SVGA3D_CONST_TYPE_FLOAT};
    memcpy(b + 4, v, 16);
    gsh_ok(f, VGT_SVGA3D_CMD_SET_SHADER_CONST, b, 8);
}

void gsh_consti(gsh_fx *f, uint32_t type, uint32_t reg, int32_t x, int32_t y, int32_t z, int32_t w)
{
    uint32_t b[8] = {GSH_CID,     reg,         type,        VGT_SVGA3D_CONST_TYPE_INT,
                     (uint32_t)x, (uint32_t)y, (uint32_t)z, (uint32_t)w};
    gsh_ok(f, VGT_SVGA3D_CMD_SET_SHADER_CONST, b, 8);
}

void gsh_constb(gsh_fx *f, uint32_t type, uint32_t reg, bool v)
{
    uint32_t b[8] = {GSH_CID, reg, type, VGT_SVGA3D_CONST_TYPE_BOOL, v ? 1u : 0u, 0, 0, 0};
    gsh_ok(f, VGT_SVGA3D_CMD_SET_SHADER_CONST, b, 8);
}

vgt_status gsh_draw(gsh_fx *f, const gsh_vtx *v, uint32_t nverts, uint32_t prim, uint32_t prims,
                    uint32_t pos_usage, vgt_error *err)
{
    gsh_upload(f, GSH_SID_VB, 0, v, nverts * (uint32_t)sizeof(*v), nverts * (uint32_t)sizeof(*v),
               1);
    uint32_t b[3 + 4 * 9 + 7];
    uint32_t n = 0;
    b[n++] = GSH_CID;
    b[n++] = 4;
    b[n++] = 1;
    const uint32_t decl[4][4] = {
        {VGT_SVGA3D_DECLTYPE_FLOAT4, pos_usage, 0, 0},
        {VGT_SVGA3D_DECLTYPE_D3DCOLOR, VGT_SVGA3D_DECLUSAGE_COLOR, 0, 16},
        {VGT_SVGA3D_DECLTYPE_FLOAT4, VGT_SVGA3D_DECLUSAGE_TEXCOORD, 0, 20},
        {VGT_SVGA3D_DECLTYPE_FLOAT3, VGT_SVGA3D_DECLUSAGE_NORMAL, 0, 36},
    };
    for (int k = 0; k < 4; k++) {
        uint32_t d[9] = {decl[k][0],      0, decl[k][1], decl[k][2], GSH_SID_VB, decl[k][3],
                         sizeof(gsh_vtx), 0, 0};
        memcpy(b + n, d, sizeof(d));
        n += 9;
    }
    uint32_t r[7] = {prim, prims, VGT_SVGA3D_INVALID_ID, 0, 0, 0, 0};
    memcpy(b + n, r, sizeof(r));
    n += 7;
    return gsh_cmd(f, VGT_SVGA3D_CMD_DRAW_PRIMITIVES, b, n, err);
}

float gsh_uv_nudge;

vgt_status gsh_fullscreen(gsh_fx *f, float s, float t, uint32_t color, vgt_error *err)
{
    const float a = gsh_uv_nudge, b = 1.0f + gsh_uv_nudge;
    gsh_vtx v[4] = {
        {-1, 1, 0.5f, 1, color, a, a, s, t, 0, 0, 1},
        {1, 1, 0.5f, 1, color, b, a, s, t, 0, 0, 1},
        {-1, -1, 0.5f, 1, color, a, b, s, t, 0, 0, 1},
        {1, -1, 0.5f, 1, color, b, b, s, t, 0, 0, 1},
    };
    return gsh_draw(f, v, 4, VGT_SVGA3D_PRIMITIVE_TRIANGLESTRIP, 2, VGT_SVGA3D_DECLUSAGE_POSITION,
                    err);
}

static float rt_float[GSH_W * GSH_H * 4];

void gsh_read_float(gsh_fx *f)
{
    const uint8_t *p = gsh_download(f, GSH_SID_RT, 0, 16, GSH_W, GSH_H);
    memcpy(rt_float, p, sizeof(rt_float));
}

void gsh_pixel(const gsh_fx *f, uint32_t x, uint32_t y, float out[4])
{
    (void)f;
    memcpy(out, &rt_float[(y * GSH_W + x) * 4], 16);
}

void gsh_assert4(const char *what, const float got[4], const float want[4], float tol)
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

const char *const gsh_vs30_pass = "vs_3_0\n"
                                  "dcl_position v0\n"
                                  "dcl_texcoord v1\n"
                                  "dcl_color v2\n"
                                  "dcl_position o0\n"
                                  "dcl_texcoord o1\n"
                                  "dcl_color o2\n"
                                  "mov o0, v0\n"
                                  "mov o1, v1\n"
                                  "mov o2, v2\n";

const char *const gsh_vs20_pass = "vs_2_0\n"
                                  "dcl_position v0\n"
                                  "dcl_texcoord v1\n"
                                  "dcl_color v2\n"
                                  "mov oPos, v0\n"
                                  "mov oT0, v1\n"
                                  "mov oD0, v2\n";
