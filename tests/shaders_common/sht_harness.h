/* sht_harness.h - shared by the shader tests of both backends (built twice:
 * test_softshader_X on the soft interpreter, test_glshader_X with
 * SHT_BACKEND_GL on the gl backend's GLSL translation): an executor with a
 * fake guest memory, SVGA3D commands built by hand (decoded by
 * vgt_cmd_decode, executed by vgt_executor_execute), shaders assembled from
 * text, and float render targets read back by SURFACE_DMA.  What differs
 * between the backends is data: sht_caps. */
#ifndef SHT_HARNESS_H
#define SHT_HARNESS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "vgt_replay.h"

#define SHT_W 8u /* float target size */
#define SHT_H 8u

enum {
    SHT_SID_RT = 1, /* ARGB_S23E8 SHT_W x SHT_H */
    SHT_SID_DEPTH = 2,
    SHT_SID_VB = 3,
    SHT_SID_IB = 4,
    SHT_SID_TEX = 5,
    SHT_SID_RT8 = 6, /* A8R8G8B8 (whole programs) */
    SHT_CID = 3,
};

typedef struct sht_fx {
    uint8_t *gmr;
    vgt_executor *ex;
    uint32_t rt_w, rt_h;
} sht_fx;

/* The backend a test binary runs on: SHT_BACKEND_GL selects gl. */
#ifdef SHT_BACKEND_GL
#define SHT_BACKEND VGT_BACKEND_GL
#define SHT_IS_GL   1
#else
#define SHT_BACKEND VGT_BACKEND_SOFT
#define SHT_IS_GL   0
#endif

/* What the shared tests expect of a backend (the differences between the
 * soft interpreter and the GLSL translation on llvmpipe, as data). */
typedef struct sht_caps {
    vgt_backend_kind backend;
    const char *name; /* "soft", "gl" */
    /* ops: pixel shaders are drawn behind a vs_2_0 passthrough (gl) rather
     * than the fixed-function vertex pipeline (soft) */
    bool ops_vs_passthrough;
    /* tex: added to the fullscreen quad's (u, v): GL interpolates u at pixel
     * x to within an ulp of x/8 (soft's plane equations give x/8 exactly), so
     * point sampling exactly on a texel edge may pick either texel */
    float tex_uv_nudge;
    /* tex: interpolated values (dsx/dsy, texcoord) compared within this */
    float interp_tol;
    /* malformed bytecode is refused with exactly VGT_E_INVALID (soft: any error) */
    bool malformed_is_invalid;
    /* environment names of the fuzz loop's iterations and seed */
    const char *fuzz_iterations_env, *fuzz_seed_env;
    /* programs: the golden images are this backend's own (exact, and
     * VGT_UPDATE_GOLDEN=1 rewrites them); otherwise a channel may differ by
     * golden_delta in golden_pixels (smooth scenes) or golden_pixels_checker
     * (procedural checkerboards) of the pixels */
    bool golden_own;
    uint32_t golden_delta;
    double golden_pixels, golden_pixels_checker;
    /* programs: the sample's pixels do not depend on VGT_SOFT_THREADS */
    bool soft_threads;
} sht_caps;

/* The capabilities of a backend (static data). */
const sht_caps *sht_caps_of(vgt_backend_kind kind);
#define SHT_CAPS (sht_caps_of(SHT_BACKEND))

/* cmocka setup/teardown: a fresh executor on the given backend; sht_setup
 * uses this binary's backend (SHT_BACKEND). */
int sht_setup_backend(void **state, vgt_backend_kind kind);
static inline int sht_setup(void **state)
{
    return sht_setup_backend(state, SHT_BACKEND);
}
static inline int sht_setup_soft(void **state)
{
    return sht_setup_backend(state, VGT_BACKEND_SOFT);
}
int sht_teardown(void **state);

/* Executes one command (words = body); returns its status, err filled. */
vgt_status sht_cmd(sht_fx *f, uint32_t id, const uint32_t *body, uint32_t n, vgt_error *err);
/* The same, failing the test unless it succeeds. */
void sht_ok(sht_fx *f, uint32_t id, const uint32_t *body, uint32_t n);

/* Draws scene `fn` on a fresh soft fixture and on `gl` (both with a w x h
 * SHT_SID_RT8 target) and compares the targets: every channel within 2
 * (docs/gl.md's tolerance) and at least min_drawn non-black pixels in
 * soft's picture; prints the figures under `name`. */
void sht_against_soft(sht_fx *gl, void (*fn)(sht_fx *f), const char *name, uint32_t w, uint32_t h,
                      uint32_t min_drawn);

/* One vertex declaration of the vertex buffer SHT_SID_VB: type, usage,
 * usage index, offset, stride. */
typedef struct sht_decl {
    uint32_t type, usage, index, offset, stride;
} sht_decl;
/* DRAW_PRIMITIVES of one range from SHT_SID_VB with nd (at most 8)
 * declarations and ndiv divisors (0: none); indexed (16-bit indices of
 * SHT_SID_IB from byte 0) or not, `bias` the index bias or first vertex. */
vgt_status sht_draw_decls(sht_fx *f, const sht_decl *d, uint32_t nd, const uint32_t *div,
                          uint32_t ndiv, uint32_t prim, uint32_t prims, bool indexed, int32_t bias,
                          vgt_error *err);
/* The same, failing the test unless it succeeds. */
void sht_draw_decls_ok(sht_fx *f, const sht_decl *d, uint32_t nd, const uint32_t *div,
                       uint32_t ndiv, uint32_t prim, uint32_t prims, bool indexed, int32_t bias);

void sht_define_surface(sht_fx *f, uint32_t sid, uint32_t format, uint32_t w, uint32_t h,
                        uint32_t mips);
void sht_upload(sht_fx *f, uint32_t sid, uint32_t mip, const void *data, uint32_t pitch, uint32_t w,
                uint32_t h);
/* The same with surface flags (VGT_SVGA3D_SURFACE_CUBEMAP: six faces of
 * `mips` levels) and a depth (a volume when d > 1). */
void sht_define_surface3(sht_fx *f, uint32_t sid, uint32_t format, uint32_t flags, uint32_t w,
                         uint32_t h, uint32_t d, uint32_t mips);
/* Uploads face `face`, level `mip` of w x h x d texels, rows `pitch` bytes
 * apart, slices pitch * h apart. */
void sht_upload3(sht_fx *f, uint32_t sid, uint32_t face, uint32_t mip, const void *data,
                 uint32_t pitch, uint32_t w, uint32_t h, uint32_t d);
/* Reads w x h pixels of bpp bytes of (sid, mip) into a static buffer. */
const uint8_t *sht_download(sht_fx *f, uint32_t sid, uint32_t mip, uint32_t bpp, uint32_t w,
                            uint32_t h);
void sht_rs(sht_fx *f, uint32_t state, uint32_t value);
void sht_ts(sht_fx *f, uint32_t stage, uint32_t name, uint32_t value);
void sht_set_rt(sht_fx *f, uint32_t type, uint32_t sid);
void sht_clear(sht_fx *f, uint32_t flags, uint32_t color, float depth);
void sht_transform(sht_fx *f, uint32_t type, const float m[16]);

/* A context drawing into an SHT_W x SHT_H ARGB_S23E8 target (cleared to 0)
 * with a D24S8 depth buffer (z test off), lighting and culling off. */
void sht_scene_float(sht_fx *f);
/* The same with a w x h A8R8G8B8 target (SHT_SID_RT8). */
void sht_scene_rgba8(sht_fx *f, uint32_t w, uint32_t h);

/* Assembles text and defines shader shid of type (VGT_SVGA3D_SHADERTYPE_*);
 * returns SHADER_DEFINE's status. */
vgt_status sht_define_asm(sht_fx *f, uint32_t type, uint32_t shid, const char *text,
                          vgt_error *err);
/* Defines raw words as shader shid. */
vgt_status sht_define_words(sht_fx *f, uint32_t type, uint32_t shid, const uint32_t *words,
                            uint32_t n, vgt_error *err);
/* SET_SHADER (shid VGT_SVGA3D_INVALID_ID unbinds). */
void sht_bind(sht_fx *f, uint32_t type, uint32_t shid);
void sht_constf(sht_fx *f, uint32_t type, uint32_t reg, float x, float y, float z, float w);
void sht_consti(sht_fx *f, uint32_t type, uint32_t reg, int32_t x, int32_t y, int32_t z, int32_t w);
void sht_constb(sht_fx *f, uint32_t type, uint32_t reg, bool v);

/* A vertex: position (float4), color (D3DCOLOR), texcoord0 (float4),
 * normal (float3). */
typedef struct sht_vtx {
    float x, y, z, w;
    uint32_t color;
    float u, v, s, t;
    float nx, ny, nz;
} sht_vtx;

/* Draws vertices as primitives; usage of the position element: POSITION or
 * POSITIONT; returns the status. */
vgt_status sht_draw(sht_fx *f, const sht_vtx *v, uint32_t nverts, uint32_t prim, uint32_t prims,
                    uint32_t pos_usage, vgt_error *err);
/* A full-viewport quad in clip space (z 0.5, w 1) with texcoord (u, v) = the
 * clip position mapped to [0, 1] and (s, t) = (s, t) given, color c. */
vgt_status sht_fullscreen(sht_fx *f, float s, float t, uint32_t color, vgt_error *err);
/* Added to (u, v) by sht_fullscreen (0 by default; see tex_uv_nudge). */
extern float sht_uv_nudge;

/* The float pixel (x, y) of the S23E8 target after sht_read_float. */
void sht_read_float(sht_fx *f);
void sht_pixel(const sht_fx *f, uint32_t x, uint32_t y, float out[4]);

/* Asserts |got - want| <= tol per component, with a message naming what. */
void sht_assert4(const char *what, const float got[4], const float want[4], float tol);

/* The standard vs_3_0 passthrough (o0 position, o1 texcoord0, o2 color0). */
extern const char *const sht_vs30_pass;
/* vs_2_0 passthrough (oPos, oT0, oD0). */
extern const char *const sht_vs20_pass;

#endif
