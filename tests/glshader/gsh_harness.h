/* gsh_harness.h - shared by the gl shader tests: tests/softshader/ssh_harness.h
 * with a choice of backend (gl, or soft as the reference): an executor with a
 * fake guest memory, SVGA3D commands built by hand, shaders assembled from
 * text, and float render targets read back by SURFACE_DMA. */
#ifndef GSH_HARNESS_H
#define GSH_HARNESS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "vgt_replay.h"

#define GSH_W 8u /* float target size */
#define GSH_H 8u

enum {
    GSH_SID_RT = 1, /* ARGB_S23E8 GSH_W x GSH_H */
    GSH_SID_DEPTH = 2,
    GSH_SID_VB = 3,
    GSH_SID_IB = 4,
    GSH_SID_TEX = 5,
    GSH_SID_RT8 = 6, /* A8R8G8B8 (whole programs) */
    GSH_CID = 3,
};

typedef struct gsh_fx {
    uint8_t *gmr;
    vgt_executor *ex;
    uint32_t rt_w, rt_h;
} gsh_fx;

/* cmocka setup/teardown: a fresh executor on the gl backend (gsh_setup) or
 * on the soft reference (gsh_setup_soft). */
int gsh_setup(void **state);
int gsh_setup_soft(void **state);
int gsh_teardown(void **state);

/* Executes one command (words = body); returns its status, err filled. */
vgt_status gsh_cmd(gsh_fx *f, uint32_t id, const uint32_t *body, uint32_t n, vgt_error *err);
/* The same, failing the test unless it succeeds. */
void gsh_ok(gsh_fx *f, uint32_t id, const uint32_t *body, uint32_t n);

void gsh_define_surface(gsh_fx *f, uint32_t sid, uint32_t format, uint32_t w, uint32_t h,
                        uint32_t mips);
void gsh_upload(gsh_fx *f, uint32_t sid, uint32_t mip, const void *data, uint32_t pitch, uint32_t w,
                uint32_t h);
/* Reads w x h pixels of bpp bytes of (sid, mip) into a static buffer. */
const uint8_t *gsh_download(gsh_fx *f, uint32_t sid, uint32_t mip, uint32_t bpp, uint32_t w,
                            uint32_t h);
void gsh_rs(gsh_fx *f, uint32_t state, uint32_t value);
void gsh_ts(gsh_fx *f, uint32_t stage, uint32_t name, uint32_t value);
void gsh_set_rt(gsh_fx *f, uint32_t type, uint32_t sid);
void gsh_clear(gsh_fx *f, uint32_t flags, uint32_t color, float depth);
void gsh_transform(gsh_fx *f, uint32_t type, const float m[16]);

/* A context drawing into an GSH_W x GSH_H ARGB_S23E8 target (cleared to 0)
 * with a D24S8 depth buffer (z test off), lighting and culling off. */
void gsh_scene_float(gsh_fx *f);
/* The same with a w x h A8R8G8B8 target (GSH_SID_RT8). */
void gsh_scene_rgba8(gsh_fx *f, uint32_t w, uint32_t h);

/* Assembles text and defines shader shid of type (VGT_SVGA3D_SHADERTYPE_*);
 * returns SHADER_DEFINE's status. */
vgt_status gsh_define_asm(gsh_fx *f, uint32_t type, uint32_t shid, const char *text,
                          vgt_error *err);
/* Defines raw words as shader shid. */
vgt_status gsh_define_words(gsh_fx *f, uint32_t type, uint32_t shid, const uint32_t *words,
                            uint32_t n, vgt_error *err);
/* SET_SHADER (shid VGT_SVGA3D_INVALID_ID unbinds). */
void gsh_bind(gsh_fx *f, uint32_t type, uint32_t shid);
void gsh_constf(gsh_fx *f, uint32_t type, uint32_t reg, float x, float y, float z, float w);
void gsh_consti(gsh_fx *f, uint32_t type, uint32_t reg, int32_t x, int32_t y, int32_t z, int32_t w);
void gsh_constb(gsh_fx *f, uint32_t type, uint32_t reg, bool v);

/* A vertex: position (float4), color (D3DCOLOR), texcoord0 (float4),
 * normal (float3). */
typedef struct gsh_vtx {
    float x, y, z, w;
    uint32_t color;
    float u, v, s, t;
    float nx, ny, nz;
} gsh_vtx;

/* Draws vertices as primitives; usage of the position element: POSITION or
 * POSITIONT; returns the status. */
vgt_status gsh_draw(gsh_fx *f, const gsh_vtx *v, uint32_t nverts, uint32_t prim, uint32_t prims,
                    uint32_t pos_usage, vgt_error *err);
/* A full-viewport quad in clip space (z 0.5, w 1) with texcoord (u, v) = the
 * clip position mapped to [0, 1] and (s, t) = (s, t) given, color c. */
vgt_status gsh_fullscreen(gsh_fx *f, float s, float t, uint32_t color, vgt_error *err);
/* Added to (u, v) by gsh_fullscreen (0 by default).  GL interpolates u at
 * pixel x to within an ulp of x/8 (the soft backend's plane equations give
 * x/8 exactly), so point sampling exactly on a texel edge may pick either
 * texel: texture tests move the coordinates off the edges. */
extern float gsh_uv_nudge;

/* The float pixel (x, y) of the S23E8 target after gsh_read_float. */
void gsh_read_float(gsh_fx *f);
void gsh_pixel(const gsh_fx *f, uint32_t x, uint32_t y, float out[4]);

/* Asserts |got - want| <= tol per component, with a message naming what. */
void gsh_assert4(const char *what, const float got[4], const float want[4], float tol);

/* The standard vs_3_0 passthrough (o0 position, o1 texcoord0, o2 color0). */
extern const char *const gsh_vs30_pass;
/* vs_2_0 passthrough (oPos, oT0, oD0). */
extern const char *const gsh_vs20_pass;

#endif
