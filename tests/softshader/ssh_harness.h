/* ssh_harness.h - shared by the soft shader tests: an executor on the soft
 * backend with a fake guest memory, SVGA3D commands built by hand (decoded
 * by vgt_cmd_decode, executed by vgt_executor_execute), shaders assembled
 * from text, and float render targets read back by SURFACE_DMA. */
#ifndef SSH_HARNESS_H
#define SSH_HARNESS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "vgt_replay.h"

#define SSH_W 8u /* float target size */
#define SSH_H 8u

enum {
    SSH_SID_RT = 1, /* ARGB_S23E8 SSH_W x SSH_H */
    SSH_SID_DEPTH = 2,
    SSH_SID_VB = 3,
    SSH_SID_IB = 4,
    SSH_SID_TEX = 5,
    SSH_SID_RT8 = 6, /* A8R8G8B8 (whole programs) */
    SSH_CID = 3,
};

typedef struct ssh_fx {
    uint8_t *gmr;
    vgt_executor *ex;
    uint32_t rt_w, rt_h;
} ssh_fx;

/* cmocka setup/teardown: a fresh executor on the soft backend. */
int ssh_setup(void **state);
int ssh_teardown(void **state);

/* Executes one command (words = body); returns its status, err filled. */
vgt_status ssh_cmd(ssh_fx *f, uint32_t id, const uint32_t *body, uint32_t n, vgt_error *err);
/* The same, failing the test unless it succeeds. */
void ssh_ok(ssh_fx *f, uint32_t id, const uint32_t *body, uint32_t n);

void ssh_define_surface(ssh_fx *f, uint32_t sid, uint32_t format, uint32_t w, uint32_t h,
                        uint32_t mips);
void ssh_upload(ssh_fx *f, uint32_t sid, uint32_t mip, const void *data, uint32_t pitch, uint32_t w,
                uint32_t h);
/* Reads w x h pixels of bpp bytes of (sid, mip) into a static buffer. */
const uint8_t *ssh_download(ssh_fx *f, uint32_t sid, uint32_t mip, uint32_t bpp, uint32_t w,
                            uint32_t h);
void ssh_rs(ssh_fx *f, uint32_t state, uint32_t value);
void ssh_ts(ssh_fx *f, uint32_t stage, uint32_t name, uint32_t value);
void ssh_set_rt(ssh_fx *f, uint32_t type, uint32_t sid);
void ssh_clear(ssh_fx *f, uint32_t flags, uint32_t color, float depth);
void ssh_transform(ssh_fx *f, uint32_t type, const float m[16]);

/* A context drawing into an SSH_W x SSH_H ARGB_S23E8 target (cleared to 0)
 * with a D24S8 depth buffer (z test off), lighting and culling off. */
void ssh_scene_float(ssh_fx *f);
/* The same with a w x h A8R8G8B8 target (SSH_SID_RT8). */
void ssh_scene_rgba8(ssh_fx *f, uint32_t w, uint32_t h);

/* Assembles text and defines shader shid of type (VGT_SVGA3D_SHADERTYPE_*);
 * returns SHADER_DEFINE's status. */
vgt_status ssh_define_asm(ssh_fx *f, uint32_t type, uint32_t shid, const char *text,
                          vgt_error *err);
/* Defines raw words as shader shid. */
vgt_status ssh_define_words(ssh_fx *f, uint32_t type, uint32_t shid, const uint32_t *words,
                            uint32_t n, vgt_error *err);
/* SET_SHADER (shid VGT_SVGA3D_INVALID_ID unbinds). */
void ssh_bind(ssh_fx *f, uint32_t type, uint32_t shid);
void ssh_constf(ssh_fx *f, uint32_t type, uint32_t reg, float x, float y, float z, float w);
void ssh_consti(ssh_fx *f, uint32_t type, uint32_t reg, int32_t x, int32_t y, int32_t z, int32_t w);
void ssh_constb(ssh_fx *f, uint32_t type, uint32_t reg, bool v);

/* A vertex: position (float4), color (D3DCOLOR), texcoord0 (float4),
 * normal (float3). */
typedef struct ssh_vtx {
    float x, y, z, w;
    uint32_t color;
    float u, v, s, t;
    float nx, ny, nz;
} ssh_vtx;

/* Draws vertices as primitives; usage of the position element: POSITION or
 * POSITIONT; returns the status. */
vgt_status ssh_draw(ssh_fx *f, const ssh_vtx *v, uint32_t nverts, uint32_t prim, uint32_t prims,
                    uint32_t pos_usage, vgt_error *err);
/* A full-viewport quad in clip space (z 0.5, w 1) with texcoord (u, v) = the
 * clip position mapped to [0, 1] and (s, t) = (s, t) given, color c. */
vgt_status ssh_fullscreen(ssh_fx *f, float s, float t, uint32_t color, vgt_error *err);

/* The float pixel (x, y) of the S23E8 target after ssh_read_float. */
void ssh_read_float(ssh_fx *f);
void ssh_pixel(const ssh_fx *f, uint32_t x, uint32_t y, float out[4]);

/* Asserts |got - want| <= tol per component, with a message naming what. */
void ssh_assert4(const char *what, const float got[4], const float want[4], float tol);

/* The standard vs_3_0 passthrough (o0 position, o1 texcoord0, o2 color0). */
extern const char *const ssh_vs30_pass;
/* vs_2_0 passthrough (oPos, oT0, oD0). */
extern const char *const ssh_vs20_pass;

#endif
